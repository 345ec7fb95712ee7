/**
 * The analyst's heaviest everyday question, shared by `npm run bench` and the round-trip test
 * (test/scorecard-scale.int.test.ts): the scorecard of a district, with its wards counted in, and of
 * each of its wards, across the five systems — documents, dossiers, official mail, budgets (Agency
 * fields) and land (the governed unit's records) — for one year. Every ward's figures come from one
 * batched SQL statement per subgraph, whatever the number of wards.
 */
export const DISTRICT_SCORECARD = `query DistrictScorecard($code: ID!, $period: PeriodInput!, $year: Int!, $asOf: Date!) {
  agency(code: $code) {
    code
    name
    ...Scorecard
    total: documentStats(period: $period, includeSubordinates: true) { electronicRatio digitallySignedRatio }
    totalDossiers: dossierStats(period: $period, includeSubordinates: true) { onTimeRatio onlineRatio }
    totalMail: mailStats(period: $period, includeSubordinates: true) { mailboxCoverage regularUseRatio }
    totalBudget: budget(year: $year, includeSubordinates: true) { executionRate }
    children(asOf: $asOf) { code name ...Scorecard }
  }
}
fragment Scorecard on Agency {
  documentStats(period: $period) { electronicRatio digitallySignedRatio overdueRatio }
  dossierStats(period: $period) { onTimeRatio onlineRatio }
  mailStats(period: $period) { mailboxCoverage regularUseRatio }
  budget(year: $year) { executionRate }
  unit(asOf: $asOf) { landStats(asOf: $asOf) { digitisedRatio } }
}`;

/** The variables for a district (agency code) and a calendar year. */
export const districtScorecardVariables = (code: string, year: number) => ({
  code,
  period: { from: `${year}-01-01`, to: `${year}-12-31` },
  year,
  asOf: `${year}-12-31`,
});
