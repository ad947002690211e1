import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
// Monaco's editor and GraphQL language workers, bundled by Vite (no CDN).
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

/** What a first-time visitor sees: a region's meetings, their decisions, and the passages they rest on; a filter by name and words. */
const DEFAULT_QUERY = `# Nära vård data platform: the governance of
# Sweden's health-care reform, each fact
# citing the passage it rests on.
#
# Ctrl+Enter runs the query, Ctrl+Space
# completes; the docs are on the left.

query KronobergMeetings {
  region(code: "07") {
    name
    meetings(first: 5) {
      totalCount
      edges {
        node {
          title
          heldOn
          kind
          decisions {
            text
            citations {
              quote
              document { title }
            }
          }
        }
      }
    }
  }
  # Filters take names as people write them;
  # text matches whole words in any inflection.
  decisions(
    first: 5
    filter: {
      region: "Örebro"
      text: "handlingsplan patientsäkerhet"
    }
  ) {
    edges {
      node { title decidedOn citation }
    }
  }
}
`;

// Same origin as the page: the API that serves this app also answers GraphQL at /graphql.
const fetcher = createGraphiQLFetcher({ url: new URL('/graphql', window.location.href).toString() });

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');

createRoot(root).render(
  <StrictMode>
    <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} />
  </StrictMode>,
);
