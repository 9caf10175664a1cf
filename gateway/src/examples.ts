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

/** A curl command that runs `query` with `variables` against `url`. */
export function curlExample(url: string, query: string, variables: Record<string, unknown>): string {
  const body = JSON.stringify({ query: query.replace(/\s+/g, " "), variables });
  return `curl -s ${url} -H 'content-type: application/json' -d '${body.replace(/'/g, "'\\''")}'`;
}
