/*
 * Indicators (indikatorer), their targets (målvärden) and their observations (utfall), for BI
 * tools. Three ways to read values:
 *
 * - `observations`: the flat, paged list of stored values, one row per indicator, subject, period
 *   and set of dimensions. For copies into Power BI and notebooks; `updatedSince` with
 *   `orderBy: UPDATED_AT` refreshes a copy incrementally (deleted rows come back with `deletedAt`).
 * - `Indicator.series`: one line of a chart, the stored points of one subject and one exact set of
 *   dimensions, ordered by period.
 * - `observationAggregates`: count, sum, avg, min and max computed in SQL on exact numerics,
 *   grouped by region, organisation, period (year, quarter, month) and named dimensions.
 *
 * Totals and their breakdowns are stored side by side: the Halland SIP table has the total per
 * setting ({"setting": "home_care"}) next to its parts ({"ownership": "public", "setting":
 * "home_care"} and "private"). Adding up "all observations" therefore counts every meeting twice.
 * The dimension filter can require a dimension to be present or absent
 * (`{ name: "ownership", present: false }` keeps only the totals), and every aggregate group shows
 * the sets of dimension names it added up (`dimensionSets`), so a mix is visible.
 */

import './periods.ts';
import './observation-list.ts';
import './series.ts';
import './nodes.ts';
import './aggregates.ts';
import './queries.ts';
import './write-rules.ts';
import './upsert.ts';
import './mutations.ts';
import './export.ts';
