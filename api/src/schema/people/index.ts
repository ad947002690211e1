/* People named in the records and their memberships of organisations: nodes, the list of people and writes. */

import './read.ts';
import './writes.ts';
