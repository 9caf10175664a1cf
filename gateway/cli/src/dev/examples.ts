/** The README's cross-registry query: one person as seen by all four registries. */
export const README_QUERY = `query Citizen($id: IdNumber!) {
  person(idNumber: $id) {
    name
    status
    household {
      number
      members { relation person { name } }
    }
    realEstate { unitNumber certificateNumber address area mortgaged }
    enterprisesRepresented { uscc name status }
    socialInsurance {
      consecutiveContributionMonths(type: EMPLOYEE_PENSION)
    }
  }
}`;

/** The matter the README query is asked under: it declares every field the query reads. */
export const README_MATTER = "subsistence-allowance-review";

/** A curl command that runs `query` with `variables` against `url`, with the given headers. */
export function curlExample(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
): string {
  const quote = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;
  const body = JSON.stringify({ query: query.replace(/\s+/g, " "), variables });
  const flags = Object.entries({ "content-type": "application/json", ...headers })
    .map(([name, value]) => ` \\\n  -H ${quote(`${name}: ${value}`)}`)
    .join("");
  return `curl -s ${url}${flags} \\\n  -d ${quote(body)}`;
}
