/**
 * What a first-time visitor sees in GraphiQL: a region's meetings with who attended, the
 * assignments given there and the passages the decisions rest on; filters that take names and
 * words; and search across every kind of record. The API's tests run it against the seed data.
 */
export const DEFAULT_QUERY = `# Nära vård data platform: the governance of
# Sweden's health-care reform, each fact
# citing the passage it rests on.
#
# Ctrl+Enter runs the query, Ctrl+Space
# completes; the docs are on the left.

query FirstLook {
  # A region's meetings: their decisions and the
  # passages they rest on, who attended (one entry
  # per person, with every role), the assignments
  # given there.
  region(code: "07") {
    name
    meetings(first: 3) {
      totalCount
      edges {
        node {
          title
          heldOn
          decisions {
            title
            citations {
              quote
              document { title }
            }
          }
          attendees { person { name } roles }
          assignments(first: 5) {
            edges { node { title status } }
          }
        }
      }
    }
  }
  # Filters take names as people write them;
  # text matches whole words in any inflection.
  assignments(
    first: 5
    filter: { region: "Örebro", text: "samordnat medicinskt omhändertagande" }
  ) {
    edges {
      node {
        reference
        title
        originDecision { title }
        relatedDecision { title decidedOn decidedOnPrecision }
      }
    }
  }
  # Search covers documents, meetings, agenda items,
  # decisions, assignments, audits and grants.
  search(query: "fast läkarkontakt", first: 5) {
    edges {
      node {
        type
        snippet
        record { ... on Searchable { title citation } }
      }
    }
  }
}
`;
