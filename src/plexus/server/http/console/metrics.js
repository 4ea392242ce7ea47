// Reads the Prometheus text exposition format (0.0.4) that GET /metrics serves, and derives what
// the dashboard draws from two scrapes: counter rates, ratios and histogram quantiles.
"use strict";

const PlexusMetrics = (() => {
  const kSampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
  const kLabel = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

  function unescapeLabel(value) {
    return value.replace(/\\(.)/g, (_, c) => (c === "n" ? "\n" : c));
  }

  function parseValue(text) {
    if (text === "+Inf") return Infinity;
    if (text === "-Inf") return -Infinity;
    return Number(text);  // NaN stays NaN
  }

  // Map from metric name to its samples, each {labels: {name: value}, value: number}.
  function parse(text) {
    const samples = new Map();
    for (const raw of text.split("\n")) {
      const line = raw.trim();
      if (line === "" || line.startsWith("#")) continue;
      const match = kSampleLine.exec(line);
      if (!match) continue;
      const labels = {};
      if (match[2]) {
        for (const label of match[2].matchAll(kLabel)) labels[label[1]] = unescapeLabel(label[2]);
      }
      if (!samples.has(match[1])) samples.set(match[1], []);
      samples.get(match[1]).push({labels, value: parseValue(match[3])});
    }
    return samples;
  }

  function matches(labels, filter) {
    for (const key in filter) if (labels[key] !== filter[key]) return false;
    return true;
  }

  // The sum of the samples of `name` whose labels include `filter`; null when there are none.
  function total(samples, name, filter = {}) {
    let sum = null;
    for (const sample of samples.get(name) || []) {
      if (!matches(sample.labels, filter)) continue;
      sum = (sum === null ? 0 : sum) + sample.value;
    }
    return sum;
  }

  // Per-second increase of a counter between two scrapes `seconds` apart; null when unknown.
  // A counter that went down means the server restarted: its rate restarts from zero.
  function rate(previous, current, name, filter, seconds) {
    if (!previous || seconds <= 0) return null;
    const before = total(previous, name, filter);
    const after = total(current, name, filter);
    if (before === null || after === null) return null;
    return after >= before ? (after - before) / seconds : after / seconds;
  }

  // The cumulative buckets of histogram `name` (samples of name_bucket), summed over the series
  // matching `filter`, as [{le, count}] sorted by le.
  function buckets(samples, name, filter = {}) {
    const byBound = new Map();
    for (const sample of samples.get(name + "_bucket") || []) {
      if (!matches(sample.labels, filter)) continue;
      const le = parseValue(sample.labels.le);
      byBound.set(le, (byBound.get(le) || 0) + sample.value);
    }
    return [...byBound.entries()].map(([le, count]) => ({le, count})).sort((a, b) => a.le - b.le);
  }

  // The buckets observed between two scrapes (current minus previous, bound by bound).
  function bucketIncrease(previousBuckets, currentBuckets) {
    const before = new Map(previousBuckets.map((b) => [b.le, b.count]));
    return currentBuckets.map((b) => ({le: b.le, count: Math.max(0, b.count - (before.get(b.le) || 0))}));
  }

  // The q-quantile (0 < q < 1) of cumulative buckets, interpolating linearly inside a bucket as
  // Prometheus' histogram_quantile does; null when nothing was observed.
  function quantile(q, cumulative) {
    if (cumulative.length === 0) return null;
    const count = cumulative[cumulative.length - 1].count;
    if (count <= 0) return null;
    const rank = q * count;
    let lowerBound = 0;
    let lowerCount = 0;
    for (const bucket of cumulative) {
      if (bucket.count >= rank) {
        // Observations above the largest finite bound: report that bound.
        if (bucket.le === Infinity) return lowerBound;
        const inBucket = bucket.count - lowerCount;
        if (inBucket <= 0) return bucket.le;
        return lowerBound + (bucket.le - lowerBound) * ((rank - lowerCount) / inBucket);
      }
      lowerBound = bucket.le;
      lowerCount = bucket.count;
    }
    return lowerBound;
  }

  return {parse, total, rate, buckets, bucketIncrease, quantile};
})();

if (typeof module !== "undefined") module.exports = PlexusMetrics;
