import { describe, expect, it } from 'vitest';
import { lineData, pp, suppressedRuns, weekChange, windowEnding } from './util';

const day = 86_400_000;
const p = (d: number, v: number | null, suppressed = false) => ({ start: new Date(Date.UTC(2026, 9, 1) + d * day).toISOString(), suppressed, prevalence: v });

describe('suppressed cells', () => {
  it('become gaps, never zeros', () => {
    const data = lineData([p(0, 0.1), p(1, null, true), p(2, 0.2)], day);
    expect(data.map(x => x[1])).toEqual([0.1, null, 0.2]);
  });
  it('missing buckets between known ones become a gap', () => {
    const data = lineData([p(0, 0.1), p(3, 0.2)], day);
    expect(data.map(x => x[1])).toEqual([0.1, null, 0.2]);
  });
  it('are grouped into runs for shading', () => {
    const runs = suppressedRuns([p(0, 0.1), p(1, null, true), p(2, null, true), p(3, 0.1), p(4, null, true)], day);
    expect(runs.length).toBe(2);
    expect(runs[0][1] - runs[0][0]).toBe(2 * day);
  });
});

describe('week change', () => {
  it('compares the last 7 shown days with the 7 before', () => {
    const pts = Array.from({ length: 14 }, (_, d) => p(d, d < 7 ? 0.1 : 0.15));
    expect(weekChange(pts)).toBeCloseTo(0.05, 10);
  });
  it('is unknown without a previous week', () => expect(weekChange([p(0, 0.1)])).toBeNull());
  it('formats percentage points with a sign', () => expect(pp(-0.012)).toBe('−1.2 pp'));
});

describe('window', () => {
  it('ends after the newest bucket', () => {
    const w = windowEnding('2026-10-31T00:00:00Z', 'day', 10);
    expect(w.to).toBe('2026-11-01T00:00:00.000Z');
    expect(w.from).toBe('2026-10-22T00:00:00.000Z');
  });
});
