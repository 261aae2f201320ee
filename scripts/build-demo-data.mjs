// Builds samples/demo-posts.ndjson.gz: simulated posts for the embedded demo (`monitoring run`).
// Texts: GoEmotions train split (Demszky et al., ACL 2020; CC BY 4.0), read from ../shared/data/goemotions.
// Everything else is simulated: authors, timestamps, regions and a crisis scenario (see samples/README.md).
// Usage: node scripts/build-demo-data.mjs [path to goemotions train.tsv]   (deterministic: fixed seed)
import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const source = process.argv[2] ?? "../shared/data/goemotions/train.tsv";
const emotions = readFileSync(new URL("../../shared/data/goemotions/emotions.txt", import.meta.url), "utf8").trim().split("\n");

// Deterministic PRNG (mulberry32).
let seed = 20200320;
const random = () => { seed |= 0; seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
// Texts are dealt from shuffled decks, without replacement, so that no text repeats (the Collector would drop a
// repeat as a near-duplicate and the demo would lose its signal).
const deck = (list) => {
  const cards = [...list];
  for (let i = cards.length - 1; i > 0; i--) { const j = Math.floor(random() * (i + 1)); [cards[i], cards[j]] = [cards[j], cards[i]]; }
  let next = 0;
  return () => {
    if (next >= cards.length) throw new Error(`a deck of ${cards.length} texts ran out: lower the shares or the post counts`);
    return cards[next++];
  };
};

// GoEmotions rows: text<TAB>label ids<TAB>comment id, with CSV-style quoting.
const rows = readFileSync(source, "utf8").split("\n").filter(Boolean).map((line) => {
  const parts = line.split("\t");
  let text = parts[0];
  if (text.startsWith('"') && text.endsWith('"')) text = text.slice(1, -1).replaceAll('""', '"');
  return { text, labels: parts[1].split(",").map((i) => emotions[Number(i)]) };
}).filter((r) => r.text.split(" ").length >= 4);

const distress = new Set(["sadness", "grief", "fear", "nervousness", "disappointment", "remorse"]);
const isLonely = (r) => /\b(lonely|alone|loneliness|no friends|isolated|nobody)\b/i.test(r.text);
const isDistress = (r) => r.labels.some((l) => distress.has(l));
const pools = {
  lonely: deck(rows.filter(isLonely)),
  distress: deck(rows.filter((r) => isDistress(r) && !isLonely(r))),
  calm: deck(rows.filter((r) => !isDistress(r) && !isLonely(r))),
};

const regions = [
  { code: "AR-C", name: "Ciudad de Buenos Aires", perDay: 95, authors: 2200 },
  { code: "AR-B", name: "Buenos Aires", perDay: 90, authors: 2000 },
  { code: "AR-X", name: "Córdoba", perDay: 85, authors: 1900 },
  { code: "AR-S", name: "Santa Fe", perDay: 80, authors: 1800 },
];
// About 80–100 posts a day per region keeps daily cells above the 50-author minimum; 90 days keep the replay short.
const days = 90;
const end = Date.UTC(2026, 9, 31); // the replay shifts timestamps so that the last day is today
// The crisis runs to the last day, so that the replayed dashboard ends with it under way.
const crisis = { region: "AR-X", startDay: days - 14, days: 14, title: "Plant closure in Córdoba (simulated)" };

const posts = [];
let id = 0;
for (let day = 0; day < days; day++) {
  const date = end - (days - 1 - day) * 86400000;
  const weekday = new Date(date).getUTCDay();
  for (const region of regions) {
    const inCrisis = region.code === crisis.region && day >= crisis.startDay && day < crisis.startDay + crisis.days;
    const ramp = inCrisis ? Math.min(1, (day - crisis.startDay + 1) / 3) : 0;
    const n = Math.round(region.perDay * (weekday === 0 || weekday === 6 ? 1.15 : 1) * (0.9 + 0.2 * random()) * (1 + 0.2 * ramp));
    for (let i = 0; i < n; i++) {
      // Baseline: ~0.5 % loneliness, ~7 % distress; in the crisis up to ~3 % and ~27 %. (GoEmotions' train split has
      // about 3,700 distress texts of four words or more, and every text is used once.)
      const u = random();
      const pool = u < 0.005 + 0.025 * ramp ? pools.lonely : u < 0.075 + 0.2 * ramp ? pools.distress : pools.calm;
      const seconds = Math.floor(random() * 86400);
      posts.push({
        source: "demo",
        id: String(++id),
        publishedAt: new Date(date + seconds * 1000).toISOString(),
        author: `${region.code.toLowerCase()}-${Math.floor(random() * region.authors)}`,
        text: pool().text,
        language: "en",
        region: region.code,
      });
    }
  }
}
posts.sort((a, b) => a.publishedAt.localeCompare(b.publishedAt));
const ndjson = posts.map((p) => JSON.stringify(p)).join("\n") + "\n";
writeFileSync(new URL("../samples/demo-posts.ndjson.gz", import.meta.url), gzipSync(ndjson, { level: 9 }));
writeFileSync(new URL("../samples/demo-scenario.json", import.meta.url), JSON.stringify({
  simulated: true, days, endDate: new Date(end).toISOString().slice(0, 10), regions, crisis, posts: posts.length,
  texts: "GoEmotions train split (Demszky et al., ACL 2020), CC BY 4.0",
}, null, 2) + "\n");
console.log(`${posts.length} posts over ${days} days in ${regions.length} regions written to samples/demo-posts.ndjson.gz`);
