/* Organisations (regions' boards, committees, municipalities): nodes, lists and writes. */

import './read.ts';
import './writes.ts';
