/* Grant programmes (statsbidrag), the grants regions received from them and how they allocated them: nodes, lists, write rules, mutations and the export of grants. */

import './read.ts';
import './write-rules.ts';
import './mutations.ts';
import './export.ts';
