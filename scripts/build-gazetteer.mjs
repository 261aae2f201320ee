// Builds services/Collector/Tagging/Data/gazetteer.tsv from two MIT-licensed npm packages:
//   country-region-data 4.1.0 (countries and first-level subdivisions with ISO 3166-2 codes, Benjamin Keen)
//   i18n-iso-countries 7.14.0 (country names in en, es, pt, fr, de; widdix GmbH)
// Usage: node scripts/build-gazetteer.mjs   (downloads both with npm pack into a temporary folder)
import { execSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const work = mkdtempSync(join(tmpdir(), "gazetteer-"));
for (const pkg of ["country-region-data@4.1.0", "i18n-iso-countries@7.14.0"]) {
  execSync(`npm pack ${pkg} --silent && tar xzf *.tgz && mv package ${pkg.split("@")[0]} && rm *.tgz`, { cwd: work, stdio: "ignore" });
}
const regions = JSON.parse(readFileSync(join(work, "country-region-data", "data.json"), "utf8"));
const lines = ["# kind\tcode\tname  (C: country, ISO 3166-1 alpha-2; R: first-level subdivision, ISO 3166-2)"];
const seen = new Set();
const add = (kind, code, name) => {
  const key = `${kind}\t${code}\t${name}`;
  if (name && !seen.has(key)) { seen.add(key); lines.push(key); }
};
for (const lang of ["en", "es", "pt", "fr", "de"]) {
  const names = JSON.parse(readFileSync(join(work, "i18n-iso-countries", "langs", `${lang}.json`), "utf8")).countries;
  for (const [code, value] of Object.entries(names)) for (const n of [].concat(value)) add("C", code, n);
}
for (const country of regions) {
  add("C", country.countryShortCode, country.countryName);
  for (const region of country.regions) {
    if (region.shortCode) add("R", `${country.countryShortCode}-${region.shortCode}`, region.name);
  }
}
const out = "services/Collector/Tagging/Data";
writeFileSync(join(out, "gazetteer.tsv"), lines.join("\n") + "\n");
copyFileSync(join(work, "country-region-data", "LICENSE.txt"), join(out, "LICENSE.country-region-data.txt"));
copyFileSync(join(work, "i18n-iso-countries", "LICENSE"), join(out, "LICENSE.i18n-iso-countries.txt"));
console.log(`${lines.length - 1} names written to ${out}/gazetteer.tsv`);
