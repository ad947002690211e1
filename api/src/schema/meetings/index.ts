/* Meetings (sammanträden) with their participants and agenda items: nodes, lists, writes and the export of meetings. */

import './read.ts';
import './writes.ts';
import './parts-writes.ts';
import './export.ts';
