import { useQuery } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { UsageStatisticsDocument } from '../../generated/graphql';
import { lastDays, usageBars } from '../../lib/usage';

const DAYS = 14;
const WIDTH = 28;
const HEIGHT = 120;

/**
 * Active people per day over two weeks, from the anonymised statistics. A day whose group is smaller than the
 * anonymity threshold comes back as null and is drawn as "suppressed", never as zero.
 */
export function UsageChart() {
  const { t } = useTranslation();
  const days = lastDays(new Date(), DAYS);
  const results = days.map((d) => ({ day: d.day, query: useUsageDay(d.from, d.to) }));
  const threshold = results.find((r) => r.query.data)?.query.data?.usageStatistics.anonymityThreshold;
  const bars = usageBars(results.map((r) => ({ day: r.day, count: r.query.data?.usageStatistics.activeUsers ?? null })));
  return (
    <section aria-labelledby="usage-title">
      <h2 id="usage-title">{t('platform.usage.title')}</h2>
      {threshold !== undefined && <p>{t('platform.usage.threshold', { threshold })}</p>}
      <svg className="chart" viewBox={`0 0 ${DAYS * WIDTH} ${HEIGHT + 30}`} role="img" aria-labelledby="usage-title usage-desc">
        <desc id="usage-desc">{bars.map((b) => `${b.day}: ${b.count ?? t('platform.usage.suppressed')}`).join('; ')}</desc>
        {bars.map((bar, i) => {
          const barHeight = Math.max(bar.height * HEIGHT, 0);
          return (
            <g key={bar.day} transform={`translate(${i * WIDTH}, 0)`}>
              {bar.count === null ? (
                <text className="suppressed" x={WIDTH / 2} y={HEIGHT - 4} textAnchor="middle">
                  {`<${threshold ?? ''}`}
                </text>
              ) : (
                <>
                  <rect className="bar" x={4} y={HEIGHT - barHeight} width={WIDTH - 8} height={barHeight} />
                  <text x={WIDTH / 2} y={HEIGHT - barHeight - 3} textAnchor="middle">
                    {bar.count}
                  </text>
                </>
              )}
              <text className="day" x={WIDTH / 2} y={HEIGHT + 16} textAnchor="middle">
                {bar.day.slice(8)}
              </text>
            </g>
          );
        })}
      </svg>
      <p className="legend">{t('platform.usage.legend')}</p>
    </section>
  );
}

// one query per day; the list of days is fixed, so the hooks are called in the same order on every render
function useUsageDay(from: string, to: string) {
  return useQuery(UsageStatisticsDocument, { variables: { from, to } });
}
