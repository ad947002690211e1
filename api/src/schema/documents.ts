import { tables } from '@naravard/db';
import { builder } from '../builder.ts';
import { loadReference } from '../loaders.ts';
import { taggedEntityNode } from '../nodes.ts';
import { Citation, type CitationRow, Document, type DocumentRow } from './refs.ts';

builder.node(Document, {
  ...taggedEntityNode<DocumentRow>(tables.documents),
  description: 'A source record (allmän handling): minutes, an audit response, a report, a letter.',
  fields: (t) => ({
    title: t.exposeString('title', { description: 'The title of the document.' }),
  }),
});

builder.objectType(Citation, {
  description: 'A quoted passage of a source document that supports a record.',
  fields: (t) => ({
    quote: t.exposeString('quote', { description: 'The passage, exactly as the document has it (OCR damage included).' }),
    document: t.field({
      type: Document,
      description: 'The document quoted.',
      resolve: async (citation, _args, context) =>
        (await loadReference<DocumentRow>(context, tables.documents, citation.documentId))!,
    }),
  }),
});

export type { CitationRow };
