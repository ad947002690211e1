/* Organisations (regions' boards, committees, municipalities), people and their memberships: nodes, lists and writes. */

import './read.ts';
import './writes.ts';
