/**
 * One calendar month later, the same time of day; when that month is shorter, its last day
 * (31 January → 28 or 29 February), as the GDPR's "one month" is read.
 */
export function oneMonthAfter(date: Date): Date {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + 1;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const result = new Date(date);
  result.setUTCDate(1);
  result.setUTCMonth(month);
  result.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return result;
}
