/** 200 characters of words that occur in the seed records: a search that finds much and ranks it all. */
export const LONG_SEARCH_TEXT =
  'vårdcentral läkarkontakt samordnad individuell plan kontaktingång styrgrupp beslut uppdrag region kommun '
    .repeat(2)
    .slice(0, 200);

/** `count` aliased searches of 200 characters, a page of 100 each, counting their hits. */
export const searches = (count: number) =>
  `{ ${Array.from({ length: count }, (_, index) => `s${index}: search(query: "${LONG_SEARCH_TEXT.slice(0, 198)}${index}", first: 100) { totalCount }`).join(' ')} }`;

/** The heaviest query the cost limit lets through: as many such searches as it allows. */
export const HEAVIEST_SEARCHES = 3;
