/* Audits (granskningar) of the reform, their recommendations and the answers to them: nodes, lists, write rules and mutations. */

import './read.ts';
import './write-rules.ts';
import './mutations.ts';
