#!/usr/bin/env python3
"""Regenerate critmin's curated reference files, sample-data slice and test fixtures.

Usage (from the repository root):

    python3 conf/reference/build/build_reference.py [DATA_DIR]

DATA_DIR is the folder of real public source data (default: ../shared/data relative to the
repository root). Standard library only. The project never reads DATA_DIR at run time: the
files written here are committed.

Writes:
  conf/reference/countries.csv
  conf/reference/hs6_minerals.csv
  conf/reference/shock_events.csv               (verbatim copy)
  conf/reference/critical_minerals_lists.csv    (verbatim copy)
  sample-data/comtrade/nickel_api_extract_2010-2015.csv   (byte-identical line slice)
  src/test/resources/fixtures/comtrade_api_nickel_2000-2015.csv                            (copy)
  src/test/resources/fixtures/comtrade_plus_full47col_THA_imports_HS8542_2014-2024.csv    (copy)
  conf/reference/wgi/wgi_pv.csv                 (tidy PV.EST, countries only)
  conf/reference/wgi/wgi_pv_est_worldbank_*.csv (verbatim copies: data and Metadata_Country)
  conf/reference/production/production.csv      (tidy USGS MCS 2025 and BGS production)
  conf/reference/production/usgs_mcs2025_world_production_reserves.csv   (verbatim copy)
  conf/reference/production/resources.csv       (tidy USGS MCS 2025 capacity and reserves)
  conf/reference/production/usgs_mcs2026_us_net_import_reliance.csv (US net import reliance)
  sample-data/SOURCES.md

Every check prints what it found; a broken invariant (duplicate key, unknown mineral label,
a Comtrade code the country table cannot resolve) stops the script with exit status 1.
"""

import collections
import csv
import hashlib
import io
import re
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
SCRIPT_REL = "conf/reference/build/build_reference.py"

BACI_FILE = "baci/baci_country_codes_V202501.csv"
NICKEL_FILE = "comtrade_api_nickel_2000-2015.csv"
THA_FILE = "comtrade_schema_fixture/comtrade_plus_full47col_THA_imports_HS8542_2014-2024.csv"
HS_FILE = "reference/hs6_critical_minerals.csv"
EVENTS_FILE = "reference/shock_events.csv"
LISTS_FILE = "reference/critical_minerals_lists.csv"

OUT_COUNTRIES = "conf/reference/countries.csv"
OUT_HS = "conf/reference/hs6_minerals.csv"
OUT_EVENTS = "conf/reference/shock_events.csv"
OUT_LISTS = "conf/reference/critical_minerals_lists.csv"
OUT_SLICE = "sample-data/comtrade/nickel_api_extract_2010-2015.csv"
OUT_FIX_NICKEL = "src/test/resources/fixtures/comtrade_api_nickel_2000-2015.csv"
OUT_FIX_THA = "src/test/resources/fixtures/comtrade_plus_full47col_THA_imports_HS8542_2014-2024.csv"
OUT_SOURCES = "sample-data/SOURCES.md"

FAILURES = []


def fail(msg):
    FAILURES.append(msg)
    print("  ERROR: " + msg)


def section(title):
    print()
    print("== " + title)


def write_csv(path, header, rows):
    """UTF-8 without BOM, LF line ends, minimal quoting (csv module default)."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def copy_verbatim(src, dst):
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    if sha256(src) != sha256(dst):
        fail("copy of %s is not byte-identical" % src)
    print("  %s <- %s (%d bytes, sha256 %s)" % (dst.relative_to(REPO), src.name,
                                                 dst.stat().st_size, sha256(dst)[:16]))


# --------------------------------------------------------------------------------------------
# 1. countries.csv
# --------------------------------------------------------------------------------------------

BACI_SOURCE = "CEPII BACI V202501 country codes"
CT_SOURCE = "UN Comtrade reference (partnerAreas)"

# Comtrade codes BACI lacks. iso3 is the Comtrade ISO-like code, trimmed of the trailing spaces
# the API pads it with ("X2 " -> "X2"). Names are the Comtrade texts. The codes for 472, 577,
# 636, 637 and 837 follow the Comtrade Plus partnerAreas reference (two independent public
# copies agree); none of them occurs in the two Comtrade files under DATA_DIR.
ADDED = [
    # code, iso3, name, kind, note
    (0, "W00", "World", "world", "added: partner World, not in BACI"),
    (10, "ATA", "Antarctica", "country", "added: not in BACI"),
    (97, "EUR", "European Union", "group",
     "added: EU reporter group (reporterAreas, isGroup), not in BACI"),
    (234, "FRO", "Faroe Isds", "country", "added: not in BACI"),
    (239, "SGS", "South Georgia and the South Sandwich Islands", "country", "added: not in BACI"),
    (336, "VAT", "Holy See (Vatican City State)", "country", "added: not in BACI"),
    (472, "_AC", "Africa CAMEU region, nes", "unallocated", "added: residual area, not in BACI"),
    (527, "O19", "Oceania, nes", "unallocated", "added: residual area, not in BACI"),
    (568, "E19", "Other Europe, nes", "unallocated", "added: residual area, not in BACI"),
    (577, "F19", "Other Africa, nes", "unallocated", "added: residual area, not in BACI"),
    (581, "UMI", "United States Minor Outlying Islands", "country", "added: not in BACI"),
    (636, "A79", "Rest of America, nes", "unallocated", "added: residual area, not in BACI"),
    (637, "A59", "North America and Central America, nes", "unallocated",
     "added: residual area, not in BACI"),
    (837, "X1", "Bunkers", "unallocated", "added: bunkers, not in BACI"),
    (838, "X2", "Free Zones", "unallocated", "added: free zones, not in BACI"),
    (839, "XX", "Special Categories", "unallocated", "added: special categories, not in BACI"),
    (899, "_X", "Areas, nes", "unallocated", "added: areas not elsewhere specified, not in BACI"),
]

# 381: Italy's customs-area code (Italy with San Marino and the Holy See) in the UN Comtrade
# Knowledgebase "Reporter country codes and their customs areas". BACI and the Comtrade Plus
# data under DATA_DIR use 380 for Italy; 381 is kept so that older extracts still resolve.
ITALY_381 = (381, "ITA", "Italy (customs area, legacy code)", "country",
             "UN Comtrade Knowledgebase (reporter codes and their customs areas); added: legacy "
             "customs-area code of Italy, not in BACI, which uses 380 like current Comtrade data")

CUSTOMS_AREAS = {251: "FRA", 381: "ITA", 699: "IND", 757: "CHE", 842: "USA", 579: "NOR"}
CHINA_LINKED = {156: "CHN", 344: "HKG", 446: "MAC"}
GROUP_CODES = {711}


def repair_mojibake(s):
    try:
        fixed = s.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return s
    return fixed


def build_countries(data, out):
    section("countries.csv")
    with open(data / BACI_FILE, encoding="utf-8", newline="") as f:
        baci = list(csv.DictReader(f))
    print("  BACI rows: %d" % len(baci))
    rows = {}
    repaired = []
    for r in baci:
        code = int(r["country_code"])
        raw = r["country_name"]
        name = repair_mojibake(raw)
        iso3 = r["country_iso3"].strip()
        source = BACI_SOURCE
        if name != raw:
            repaired.append((code, raw, name))
            source = BACI_SOURCE + "; name re-decoded from mojibake"
        if code in GROUP_CODES:
            kind = "group"
        elif code == 490:
            kind = "country"
        elif re.search(r"\bnes\b", name):
            kind = "unallocated"
        else:
            kind = "country"
        if code == 490:
            iso3, name = "TWN", "Other Asia, nes (Taiwan)"
            source = (CT_SOURCE + "; changed: 490 Other Asia, nes is Taiwan as a partner, "
                      "BACI iso3 S19 replaced by TWN")
        if code in rows:
            fail("BACI code %d appears twice" % code)
        rows[code] = [code, iso3, name, kind, source]
    for code, raw, name in repaired:
        print("  repaired name %d: %r -> %r" % (code, raw, name))
    leftover = [r for r in rows.values() if re.search("[\u00c2\u00c3]", r[2])]
    for r in leftover:
        fail("name still looks like mojibake: %r" % r[2])

    for code, iso3, name, kind, note in ADDED + [ITALY_381]:
        if code in rows:
            fail("added code %d is already in BACI (%s)" % (code, rows[code][2]))
            continue
        source = note if code == 381 else CT_SOURCE + "; " + note
        if code == 97:
            source = "UN Comtrade reference (reporterAreas); " + note
        rows[code] = [code, iso3, name, kind, source]

    for code in rows:
        rows[code].append(code in CHINA_LINKED)
    for code, iso in CHINA_LINKED.items():
        if rows[code][1] != iso:
            fail("china-linked code %d has iso3 %s, expected %s" % (code, rows[code][1], iso))

    print("  customs-area codes:")
    baci_codes = {int(r["country_code"]) for r in baci}
    for code, iso in sorted(CUSTOMS_AREAS.items()):
        got = rows.get(code)
        print("    %d %s: %s in BACI, resolves to %s" % (
            code, iso, "" if code in baci_codes else "NOT", got[1] if got else "nothing"))
        if not got or got[1] != iso:
            fail("customs-area code %d does not resolve to %s" % (code, iso))

    # Every code in the two Comtrade files must resolve; report ISO differences.
    print("  Comtrade codes in the source files:")
    seen = collections.Counter()
    comtrade_name = {}
    for rel, enc in ((NICKEL_FILE, "utf-8"), (THA_FILE, "latin-1")):
        with open(data / rel, encoding=enc, newline="") as f:
            for r in csv.DictReader(f):
                for p in ("reporter", "partner", "partner2"):
                    if p + "Code" not in r:
                        continue
                    key = (int(r[p + "Code"]), r[p + "ISO"].strip())
                    seen[key] += 1
                    comtrade_name[key[0]] = r[p + "Desc"]
    codes_seen = {c for c, _ in seen}
    print("    %d distinct codes" % len(codes_seen))
    mismatches = 0
    for (code, iso), n in sorted(seen.items()):
        row = rows.get(code)
        if row is None:
            fail("code %d (%s) in the Comtrade files is not in countries.csv" % (code, iso))
        elif row[1] != iso:
            mismatches += 1
            print("    ISO mismatch: code %d file %r, countries.csv %r (%d rows)"
                  % (code, iso, row[1], n))
    print("    ISO mismatches: %d" % mismatches)
    name_diff = [(c, rows[c][2], comtrade_name[c]) for c in sorted(codes_seen)
                 if c in rows and rows[c][2] != comtrade_name[c]]
    for c, mine, theirs in name_diff:
        print("    name differs (informational): %d %r vs file %r" % (c, mine, theirs))

    header = ["comtrade_code", "iso3", "name", "kind", "china_linked", "source"]
    out_rows = []
    for code in sorted(rows):
        c, iso3, name, kind, source, china = rows[code]
        if not iso3:
            fail("code %d has no iso3" % code)
        out_rows.append([c, iso3, name, kind, "true" if china else "false", source])
    write_csv(out / OUT_COUNTRIES, header, out_rows)
    kinds = collections.Counter(r[3] for r in out_rows)
    print("  wrote %s: %d rows (%d from BACI, %d added); kinds %s; china_linked %d" % (
        OUT_COUNTRIES, len(out_rows), len(baci), len(out_rows) - len(baci),
        dict(sorted(kinds.items())), sum(1 for r in out_rows if r[4] == "true")))
    return len(out_rows), len(baci)


# --------------------------------------------------------------------------------------------
# 2. hs6_minerals.csv
# --------------------------------------------------------------------------------------------

VOCAB = {
    "aluminium", "antimony", "barite", "beryllium", "bismuth", "chromium", "cobalt", "copper",
    "fluorspar", "gallium", "germanium", "graphite", "hafnium", "indium", "iridium", "lithium",
    "magnesium", "manganese", "molybdenum", "nickel", "niobium", "osmium", "palladium",
    "platinum", "pgm", "rare_earths", "rhenium", "rhodium", "ruthenium", "scandium", "silicon",
    "tantalum", "tellurium", "thallium", "tin", "titanium", "tungsten", "vanadium", "yttrium",
    "zinc", "zirconium",
}
# Label parts that are not critical minerals: they make a code lumped but get no row.
FILLERS = {
    "other minerals n.e.c.", "other metals", "gold", "other precious metals (excl. silver)",
    "other carbon", "other chemicals", "other sulphates", "boron",
    "other alkali/alkaline-earth metals", "other carbides", "other doped elements",
    "also non-REE metal magnets", "Sm mixtures", "other ores n.e.c.",
}
ALIASES = {
    "aluminium/bauxite": "aluminium",
    "platinum-group metals": "pgm",
    "rare earths": "rare_earths",
}
KEEP_EDITIONS = ("HS2017", "HS2022")


def parse_label(label):
    """Return (critical minerals in label order, whether a filler part is present)."""
    minerals, filler = [], False
    for part in (p.strip() for p in label.split(";")):
        if not part:
            continue
        if part in FILLERS:
            filler = True
            continue
        base = re.sub(r"\s*\([^)]*\)", "", part).strip()  # drop qualifiers
        m = re.match(r"^(.+?) and (other .+)$", base)      # "beryllium and other ores n.e.c."
        if m:
            if m.group(2) not in FILLERS:
                raise ValueError("unknown filler %r in label %r" % (m.group(2), label))
            base, filler = m.group(1).strip(), True
        mid = ALIASES.get(base, base.lower().replace(" ", "_").replace("-", "_"))
        if mid not in VOCAB:
            raise ValueError("label part %r (-> %r) is not a known mineral or filler in %r"
                             % (part, mid, label))
        if mid not in minerals:
            minerals.append(mid)
    return minerals, filler


def build_hs_map(data, out):
    section("hs6_minerals.csv")
    with open(data / HS_FILE, encoding="utf-8", newline="") as f:
        src = list(csv.DictReader(f))
    print("  source rows: %d; editions %s" % (
        len(src), dict(sorted(collections.Counter(r["hs_edition"] for r in src).items()))))
    seen_src = collections.Counter((r["hs6"], r["hs_edition"]) for r in src)
    for k, n in seen_src.items():
        if n > 1:
            fail("source repeats hs6 %s edition %s %d times" % (k[0], k[1], n))

    out_rows = []
    oddities = []
    for r in src:
        if r["hs_edition"] not in KEEP_EDITIONS:
            continue
        hs6 = r["hs6"].strip().zfill(6)
        if not re.fullmatch(r"\d{6}", hs6):
            fail("hs6 %r is not 6 digits" % r["hs6"])
        try:
            minerals, filler = parse_label(r["mineral"])
        except ValueError as e:
            fail(str(e))
            continue
        if not minerals:
            fail("hs6 %s %s: label %r names no critical mineral" % (hs6, r["hs_edition"],
                                                                    r["mineral"]))
            continue
        src_lumped = r["lumped"].strip().lower()
        if src_lumped not in ("true", "false"):
            fail("hs6 %s: lumped %r is not true/false" % (hs6, r["lumped"]))
        lumped = src_lumped == "true" or len(minerals) > 1 or filler
        if lumped != (src_lumped == "true"):
            oddities.append("hs6 %s %s: source lumped=%s but label %r names several parts"
                            % (hs6, r["hs_edition"], src_lumped, r["mineral"]))
        lumped_minerals = ";".join(minerals) if lumped else ""
        for m in minerals:
            out_rows.append([hs6, r["hs_edition"], m, r["stage"], "true" if lumped else "false",
                             lumped_minerals, r["mineral"], r["description"], r["source"],
                             r["confidence"]])

    # critmin's own additions (conf/reference/build/hs6_additions.csv, each row sourced): the codes
    # shock events restrict that the source map lacks (stage basket), and the minerals of the
    # USGS 2025 and EU 2023 lists it lacks. A lumped code shared with source rows lists every
    # mineral it holds on each of its rows.
    with open(Path(__file__).parent / "hs6_additions.csv", encoding="utf-8", newline="") as f:
        additions = [list(a.values()) for a in csv.DictReader(f)]
    out_rows.extend(additions)
    added_codes = {(a[0], a[1]) for a in additions}
    held = collections.defaultdict(set)
    for r in out_rows:
        if (r[0], r[1]) in added_codes and r[4] == "true":
            held[(r[0], r[1])].add(r[2])
    for r in out_rows:
        if (r[0], r[1]) in held and r[4] == "true":
            r[5] = ";".join(sorted(held[(r[0], r[1])]))
    print("  additions: %d rows from hs6_additions.csv" % len(additions))

    keys = collections.Counter((r[0], r[1], r[2]) for r in out_rows)
    for k, n in keys.items():
        if n > 1:
            fail("(hs6, hs_edition, mineral) %s appears %d times" % (k, n))
    out_rows.sort(key=lambda r: (r[0], r[1]))  # stable: keeps label order within a code

    # Consistency checks on the source map (reported, not fixed).
    by_code = collections.defaultdict(dict)
    for r in src:
        if r["hs_edition"] in KEEP_EDITIONS:
            by_code[r["hs6"]][r["hs_edition"]] = r
    for hs6, eds in sorted(by_code.items()):
        if len(eds) == 1:
            (ed, r), = eds.items()
            oddities.append("hs6 %s only in %s (%s)" % (hs6, ed, r["description"][:70]))
        else:
            a, b = eds["HS2017"], eds["HS2022"]
            for col in ("stage", "lumped", "mineral"):
                if a[col] != b[col]:
                    oddities.append("hs6 %s: %s differs between HS2017 (%r) and HS2022 (%r)"
                                    % (hs6, col, a[col], b[col]))
    quoted = sum(1 for r in out_rows if any('"' in v for v in r))
    print("  oddities in the source map (kept as published):")
    for o in oddities:
        print("    - " + o)

    header = ["hs6", "hs_edition", "mineral", "stage", "lumped", "lumped_minerals",
              "mineral_label", "description", "source", "confidence"]
    write_csv(out / OUT_HS, header, out_rows)

    minerals = sorted({r[2] for r in out_rows})
    per_stage = collections.Counter(r[3] for r in out_rows)
    per_ed = {ed: len({r[0] for r in out_rows if r[1] == ed}) for ed in KEEP_EDITIONS}
    lumped_n = sum(1 for r in out_rows if r[4] == "true")
    source_kept = sum(1 for r in src if r["hs_edition"] in KEEP_EDITIONS)
    print("  wrote %s: %d rows from %d source rows (HS2017/HS2022)" % (OUT_HS, len(out_rows),
                                                                     source_kept))
    print("  distinct minerals: %d (%s)" % (len(minerals), ", ".join(minerals)))
    print("  rows per stage: %s" % dict(sorted(per_stage.items())))
    print("  distinct hs6 codes per edition: %s" % per_ed)
    print("  lumped rows: %d (non-lumped %d)" % (lumped_n, len(out_rows) - lumped_n))
    print("  rows with a double quote inside a value (written as \"\"): %d" % quoted)
    missing_vocab = sorted(VOCAB - set(minerals))
    print("  vocabulary ids with no row: %s" % (", ".join(missing_vocab) or "none"))
    return out_rows, len(out_rows)


# --------------------------------------------------------------------------------------------
# 3. verbatim reference copies, with checks
# --------------------------------------------------------------------------------------------

def copy_reference(data, out, hs_rows):
    section("shock_events.csv and critical_minerals_lists.csv (verbatim copies)")
    copy_verbatim(data / EVENTS_FILE, out / OUT_EVENTS)
    copy_verbatim(data / LISTS_FILE, out / OUT_LISTS)
    with open(data / EVENTS_FILE, encoding="utf-8", newline="") as f:
        events = list(csv.DictReader(f))
    with open(data / LISTS_FILE, encoding="utf-8", newline="") as f:
        lists = list(csv.DictReader(f))
    print("  shock events: %d; list rows: %d %s" % (
        len(events), len(lists),
        dict(sorted(collections.Counter(r["list"] for r in lists).items()))))
    ids = collections.Counter(e["event_id"] for e in events)
    for k, n in ids.items():
        if n > 1:
            fail("event_id %s appears %d times" % (k, n))
    mapped = {r[0] for r in hs_rows}
    minerals_by_code = collections.defaultdict(set)
    for r in hs_rows:
        minerals_by_code[r[0]].add(r[2])
    print("  event checks (reported, files kept verbatim):")
    for e in events:
        codes = [c.strip() for c in e["hs6_codes"].split(";") if c.strip()]
        unmapped = [c for c in codes if c not in mapped]
        if unmapped:
            print("    - %s: hs6 not in hs6_minerals.csv: %s" % (e["event_id"], ",".join(unmapped)))
        if e["announced"] and e["effective"] and e["effective"][:10] < e["announced"][:10] \
                and len(e["effective"]) == len(e["announced"]):
            print("    - %s: effective %s is before announced %s"
                  % (e["event_id"], e["effective"], e["announced"]))
        named = set()
        for part in e["minerals"].split(";"):
            base = re.sub(r"\s*\([^)]*\)", "", part).strip().lower().replace(" ", "_")
            if base in VOCAB:
                named.add(base)
        covered = set().union(*(minerals_by_code[c] for c in codes)) if codes else set()
        uncovered = sorted(m for m in named if codes and m not in covered)
        if uncovered:
            print("    - %s: minerals %s have none of the listed hs6 codes in the map"
                  % (e["event_id"], ",".join(uncovered)))
        if not codes:
            print("    - %s: no hs6 codes" % e["event_id"])


# --------------------------------------------------------------------------------------------
# 4. sample-data slice of the nickel extract
# --------------------------------------------------------------------------------------------

SLICE_YEARS = set(range(2010, 2016))
SLICE_REPORTERS = {"CHN", "USA", "JPN", "KOR", "DEU", "FIN", "NOR", "AUS", "CAN", "IDN", "PHL",
                   "GBR", "ZAF", "BRA", "IND"}


def build_slice(data, out):
    section("nickel_api_extract_2010-2015.csv (line slice)")
    raw = (data / NICKEL_FILE).read_bytes()
    lines = raw.splitlines(keepends=True)
    header_line, body = lines[0], lines[1:]
    header = next(csv.reader([header_line.decode("utf-8")]))
    ix = {name: i for i, name in enumerate(header)}
    with open(data / NICKEL_FILE, encoding="utf-8", newline="") as f:
        n_records = sum(1 for _ in csv.reader(f)) - 1
    if n_records != len(body):
        fail("nickel file has %d CSV records but %d lines (multi-line fields?)"
             % (n_records, len(body)))
    kept = []
    for line in body:
        fields = next(csv.reader([line.decode("utf-8")]))
        if len(fields) != len(header):
            fail("line with %d fields, header has %d" % (len(fields), len(header)))
            continue
        if int(fields[ix["period"]]) in SLICE_YEARS and fields[ix["reporterISO"]] in SLICE_REPORTERS:
            kept.append((line, fields))
    path = out / OUT_SLICE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header_line + b"".join(line for line, _ in kept))
    # Every written line must be a line of the source, in order.
    src_set = set(body)
    if any(l not in src_set for l, _ in kept):
        fail("slice holds a line that is not in the source")
    print("  source rows %d; slice rows %d (+ header), line ends %s" % (
        len(body), len(kept), "CRLF" if header_line.endswith(b"\r\n") else "LF"))
    print("  reporters in slice: %s" % ", ".join(sorted({f[ix["reporterISO"]] for _, f in kept})))
    missing = sorted(SLICE_REPORTERS - {f[ix["reporterISO"]] for _, f in kept})
    print("  requested reporters with no rows: %s" % (", ".join(missing) or "none"))
    print("  rows per year: %s" % dict(sorted(collections.Counter(
        f[ix["period"]] for _, f in kept).items())))

    groups = collections.defaultdict(lambda: {"world": [], "partners": 0.0, "n": 0})
    dup = collections.Counter()
    for _, f in kept:
        key = (f[ix["reporterISO"]], f[ix["flowCode"]], f[ix["cmdCode"]], f[ix["period"]])
        dup[key + (f[ix["partnerCode"]],)] += 1
        v = float(f[ix["primaryValue"]]) if f[ix["primaryValue"]] else 0.0
        g = groups[key]
        if f[ix["partnerCode"]] == "0":
            g["world"].append(v)
        else:
            g["partners"] += v
            g["n"] += 1
    dups = [k for k, n in dup.items() if n > 1]
    for k in dups:
        print("    duplicate (reporter, flow, cmd, period, partner): %s" % (k,))
    exceptions = []
    for key, g in sorted(groups.items()):
        if len(g["world"]) != 1:
            exceptions.append("%s: %d World rows, partner sum %.1f" % (key, len(g["world"]),
                                                                      g["partners"]))
        elif abs(g["world"][0] - g["partners"]) > 1.0:
            exceptions.append("%s: World %.1f, partners %.1f (%d rows), diff %.1f" % (
                key, g["world"][0], g["partners"], g["n"], g["world"][0] - g["partners"]))
    print("  World check: %d (reporter, flow, cmd, period) groups; %d exceptions (tolerance 1 USD)"
          % (len(groups), len(exceptions)))
    for e in exceptions:
        print("    - " + e)
    return len(kept), len(groups), exceptions


# --------------------------------------------------------------------------------------------
# 5. fixtures
# --------------------------------------------------------------------------------------------

def copy_fixtures(data, out):
    section("test fixtures (byte-identical copies)")
    copy_verbatim(data / NICKEL_FILE, out / OUT_FIX_NICKEL)
    copy_verbatim(data / THA_FILE, out / OUT_FIX_THA)


# --------------------------------------------------------------------------------------------
# 5b. governance (World Bank WGI PV.EST) and mineral production (USGS MCS 2025, BGS WMS)
# --------------------------------------------------------------------------------------------

WGI_DIR = "worldbank_wgi"
WGI_DATA_FILE = WGI_DIR + "/wgi_pv_est_worldbank_API_PV.EST_DS2_en_csv_v2_7919.csv"
WGI_META_FILE = WGI_DIR + "/wgi_pv_est_worldbank_Metadata_Country_API_PV.EST_DS2_en_csv_v2_7919.csv"
USGS_FILE = "usgs_mcs2025_world_production_reserves.csv"
BGS_DIR = "bgs_world_mineral_statistics"

OUT_WGI_RAW = "conf/reference/wgi/" + Path(WGI_DATA_FILE).name
OUT_WGI_META = "conf/reference/wgi/" + Path(WGI_META_FILE).name
OUT_WGI = "conf/reference/wgi/wgi_pv.csv"
OUT_USGS_RAW = "conf/reference/production/" + USGS_FILE
OUT_PRODUCTION = "conf/reference/production/production.csv"
OUT_RESOURCES = "conf/reference/production/resources.csv"
USGS_2026_FILE = "usgs_mcs2026_commodities_data.csv"
OUT_US_NIR = "conf/reference/production/usgs_mcs2026_us_net_import_reliance.csv"

PRODUCTION_HEADER = ["source", "mineral", "stage", "series", "year", "country_name_raw", "iso3",
                     "kind", "quantity", "unit", "note"]


def build_wgi(data, out):
    """Long tidy PV.EST: one row per country (Region not empty) and published year."""
    section("wgi_pv.csv (World Bank WGI, Political Stability: PV.EST)")
    copy_verbatim(data / WGI_DATA_FILE, out / OUT_WGI_RAW)
    copy_verbatim(data / WGI_META_FILE, out / OUT_WGI_META)
    with open(data / WGI_META_FILE, encoding="utf-8-sig", newline="") as f:
        meta = {r["Country Code"].strip(): r for r in csv.DictReader(f)}
    with open(data / WGI_DATA_FILE, encoding="utf-8-sig", newline="") as f:
        lines = list(csv.reader(f))
    start = next(i for i, r in enumerate(lines) if r and r[0] == "Country Name")
    header, body = lines[start], [r for r in lines[start + 1:] if r and any(r)]
    ix = {h: i for i, h in enumerate(header) if h}
    year_cols = sorted(int(h) for h in ix if h.isdigit())
    for r in body:
        if r[ix["Indicator Code"]] != "PV.EST":
            fail("WGI row %s has indicator %s" % (r[1], r[ix["Indicator Code"]]))
    published = [y for y in year_cols if any(r[ix[str(y)]].strip() for r in body)]
    countries, aggregates, not_in_meta = [], [], []
    # INX ("Not classified") has no metadata row: an aggregate like those with an empty Region.
    for r in body:
        code = r[ix["Country Code"]].strip()
        m = meta.get(code)
        if m is None:
            not_in_meta.append(code)
        elif m["Region"].strip():
            countries.append(r)
        else:
            aggregates.append(code)
    for code in not_in_meta:
        if code != "INX":
            fail("WGI code %s is not in the Metadata_Country file" % code)
        aggregates.append(code)
    rows, missing = [], 0
    for r in sorted(countries, key=lambda r: r[ix["Country Code"]]):
        for y in published:
            v = r[ix[str(y)]].strip()
            if v:
                x = float(v)
                if not -4.0 < x < 4.0:
                    fail("WGI %s %d: PV.EST %s outside -4..4" % (r[1], y, v))
            else:
                missing += 1
            rows.append([r[ix["Country Code"]].strip(), r[ix["Country Name"]], y, v])
    write_csv(out / OUT_WGI, ["iso3", "country_name", "year", "pv_est"], rows)
    print("  source rows %d: %d countries, %d aggregates dropped (Region empty: %s)" % (
        len(body), len(countries), len(aggregates), " ".join(aggregates)))
    print("  years with any value: %s" % ",".join(str(y) for y in published))
    print("  wrote %s: %d rows, %d with PV.EST missing" % (OUT_WGI, len(rows), missing))
    return {"wgi_rows": len(rows), "wgi_countries": len(countries),
            "wgi_aggregates": len(aggregates), "wgi_missing": missing,
            "wgi_years": "%d-%d" % (published[0], published[-1]),
            "wgi_source_rows": len(body)}


# USGS country names that are not a countries.csv (BACI) name. Checked by hand against the
# MCS 2025 country list.
USGS_NAME_ALIASES = {
    "Burma": "MMR", "Congo (Kinshasa)": "COD", "Congo (Brazzaville)": "COG",
    "Côte d’Ivoire": "CIV", "Czechia": "CZE", "Iran": "IRN", "Korea, North": "PRK",
    "Korea, Republic of": "KOR", "Laos": "LAO", "Russia": "RUS", "Syria": "SYR",
    "Taiwan": "TWN", "Tanzania": "TZA", "Turkey": "TUR", "United Kingdom": "GBR",
    "United States": "USA", "Vietnam": "VNM", "Bolivia": "BOL", "Venezuela": "VEN",
    "Moldova": "MDA", "Kyrgyzstan": "KGZ",
}
# BGS iso3 codes replaced: Kosovo's "1A0" is the World Bank's XKX; Zaire (ZAR) is COD since 1997;
# Rhodesia has no code in BGS and is Zimbabwe's predecessor. BGS codes its "Congo" COD, but that
# name is the Republic of the Congo (Brazzaville): it appears beside "Zaire" in 1971-1988 and beside
# "Congo, Democratic Republic" in 2020-2023 with small copper figures.
BGS_ISO_FIX = {"1A0": "XKX", "ZAR": "COD"}
BGS_NAME_ISO = {"Rhodesia": "ZWE", "Congo": "COG"}

# (USGS COMMODITY stripped, TYPE prefix) -> (mineral, stage). The first matching prefix wins;
# TYPE values not listed (capacity, reserves, other products) are not production of a mineral id.
USGS_MAP = [
    ("Aluminum", "Smelter production", "aluminium", "refined"),
    ("Bauxite", "Mine production", "aluminium", "mine_bauxite"),
    ("Antimony", "Mine production", "antimony", "mine"),
    ("Barite", "Mine production", "barite", "mine"),
    ("Beryllium", "Mine production", "beryllium", "mine"),
    ("Bismuth", "Refinery production", "bismuth", "refined"),
    ("Chromium", "Mine production", "chromium", "mine"),
    ("Cobalt", "Mine production", "cobalt", "mine"),
    ("Copper", "Mine production", "copper", "mine"),
    ("Copper", "Refinery production", "copper", "refined"),
    ("Fluorspar", "Mine production", "fluorspar", "mine"),
    ("Gallium", "Primary production", "gallium", "refined"),
    ("Gemanium", "Primary and secondary refinery production", "germanium", "refined"),
    ("Graphite", "Mine production", "graphite", "mine"),
    ("Indium", "Refinery production", "indium", "refined"),
    ("Lithium", "Mine production", "lithium", "mine"),
    ("Magnesium metal", "Magnesium smelter production", "magnesium", "refined"),
    ("Manganese", "Mine production", "manganese", "mine"),
    ("Molybdenum", "Mine production", "molybdenum", "mine"),
    ("Nickel", "Mine production", "nickel", "mine"),
    ("Niobium", "Mine production", "niobium", "mine"),
    ("Platinum-Group metals", "Mine production, Palladium", "palladium", "mine"),
    ("Platinum-Group metals", "Mine production, Platinum", "platinum", "mine"),
    ("Rare earths", "Mine production", "rare_earths", "mine"),
    ("Rhenium", "Mine production", "rhenium", "mine"),
    ("Silicon", "Plant production, silicon metal", "silicon", "refined"),
    ("Silicon", "Plant production, Ferosilicon", "silicon", "ferro_silicon"),
    ("Tantalum", "Mine production", "tantalum", "mine"),
    ("Tellurium", "Refinery production", "tellurium", "refined"),
    ("Tin", "Mine production", "tin", "mine"),
    ("Titanium & titanium dioxide", "Sponge Metal Production", "titanium", "sponge"),
    ("Titanium Mineral Concentrates", "Mine production, ilmentite", "titanium", "mine_ilmenite"),
    ("Titanium Mineral Concentrates", "Mine production, rutile", "titanium", "mine_rutile"),
    ("Tungsten", "Mine production", "tungsten", "mine"),
    ("Vanadium", "Mine production", "vanadium", "mine"),
    ("Zinc", "Mine production", "zinc", "mine"),
    ("Zirconium and Hafnium", "Mine production", "zirconium", "mine"),
]
USGS_YEARS = (("PROD_2023", 2023, ""), ("PROD_EST_ 2024", 2024, "estimated (MCS 2025)"))

# BGS (bgs_commodity_trans, bgs_sub_commodity_trans) -> (mineral, stage, unit or None for the
# source's). Sub-commodities that measure something else than the headline series get a stage of
# their own, so that no concentration adds unlike quantities.
BGS_MAP = {
    ("antimony, mine", ""): ("antimony", "mine", None),
    ("cobalt, mine", ""): ("cobalt", "mine", None),
    ("cobalt, refined", ""): ("cobalt", "refined", None),
    ("copper, mine", ""): ("copper", "mine", None),
    ("copper, smelter", ""): ("copper", "smelter", None),
    ("copper, refined", ""): ("copper", "refined", None),
    ("gallium, primary", ""): ("gallium", "refined", None),
    ("germanium metal", ""): ("germanium", "refined", None),
    ("graphite", ""): ("graphite", "mine", None),
    ("magnesium metal, primary", ""): ("magnesium", "refined", None),
    ("manganese ore", ""): ("manganese", "mine", "tonnes (gross weight)"),
    ("manganese ore", "Manganese ore (ferruginous)"): ("manganese", "mine_ferruginous", None),
    ("manganese ore", "Chemical"): ("manganese", "mine_chemical", None),
    ("manganese ore", "Metallurgical"): ("manganese", "mine_metallurgical", None),
    ("nickel, mine", ""): ("nickel", "mine", None),
    ("nickel, smelter/refinery", ""): ("nickel", "refined", None),
    ("nickel, smelter/refinery", "Sulfate"): ("nickel", "refined_sulfate", None),
    ("tungsten, mine", ""): ("tungsten", "mine", None),
    ("rare earth oxides", ""): ("rare_earths", "mine", "tonnes (rare-earth oxide)"),
    ("rare earth minerals", ""): ("rare_earths", "mineral_concentrates", None),
    ("rare earth minerals", "Monazite"): ("rare_earths", "monazite", None),
    ("rare earth minerals", "Xenotime"): ("rare_earths", "xenotime", None),
    ("rare earth minerals", "Bastnaesite"): ("rare_earths", "bastnaesite", None),
    ("rare earth minerals", "Loparite"): ("rare_earths", "loparite", None),
    ("platinum group metals, mine", ""): ("pgm", "mine", None),
    ("platinum group metals, mine", "Platinum"): ("platinum", "mine", None),
    ("platinum group metals, mine", "Palladium"): ("palladium", "mine", None),
    ("platinum group metals, mine", "Rhodium"): ("rhodium", "mine", None),
    ("platinum group metals, mine", "Iridium"): ("iridium", "mine", None),
    ("platinum group metals, mine", "Ruthenium"): ("ruthenium", "mine", None),
    ("platinum group metals, mine", "Osmium"): ("osmium", "mine", None),
    ("platinum group metals, mine", "Osmiridium"): ("pgm", "mine_osmiridium", None),
    ("platinum group metals, mine", "Other platinum metals"): ("pgm", "mine_other_pgm", None),
    # Lithium: every "(Li content)" series is mine output in lithium content and adds up per
    # country; gross-weight minerals and chemicals are each a stage of their own.
    ("lithium minerals", "Spodumene (Li content)"): ("lithium", "mine", "tonnes (Li content)"),
    ("lithium minerals", "Lepidolite (Li content)"): ("lithium", "mine", "tonnes (Li content)"),
    ("lithium minerals", "Lithium minerals (Li content)"): ("lithium", "mine",
                                                            "tonnes (Li content)"),
    ("lithium minerals", "Lithium minerals (Carbonate -Li content)"): ("lithium", "mine",
                                                                       "tonnes (Li content)"),
    ("lithium minerals", "Lithium minerals (Chloride -Li content)"): ("lithium", "mine",
                                                                      "tonnes (Li content)"),
    ("lithium minerals", ""): ("lithium", "minerals_gross", None),
    ("lithium minerals", "Spodumene"): ("lithium", "spodumene", None),
    ("lithium minerals", "Lepidolite"): ("lithium", "lepidolite", None),
    ("lithium minerals", "Petalite"): ("lithium", "petalite", None),
    ("lithium minerals", "Amblygonite"): ("lithium", "amblygonite", None),
    ("lithium minerals", "Carbonate"): ("lithium", "carbonate", None),
    ("lithium minerals", "Chloride"): ("lithium", "chloride", None),
    ("lithium minerals", "Lithium minerals (hydroxide)"): ("lithium", "hydroxide", None),
    # Ferro-alloys: gross weight of the alloy, under the mineral it carries.
    ("ferro-alloys", "Ferro-manganese"): ("manganese", "ferro_manganese", None),
    ("ferro-alloys", "Ferro-silico-manganese"): ("manganese", "ferro_silico_manganese", None),
    ("ferro-alloys", "Ferro-chrome"): ("chromium", "ferro_chrome", None),
    ("ferro-alloys", "Ferro-silico-chrome"): ("chromium", "ferro_silico_chrome", None),
    ("ferro-alloys", "Ferro-silicon"): ("silicon", "ferro_silicon", None),
    ("ferro-alloys", "Silicon metal"): ("silicon", "refined", None),
    ("ferro-alloys", "Ferro-nickel"): ("nickel", "ferro_nickel", None),
    ("ferro-alloys", "Ferro-vanadium"): ("vanadium", "ferro_vanadium", None),
    ("ferro-alloys", "Ferro-niobium"): ("niobium", "ferro_niobium", None),
    ("ferro-alloys", "Ferro-molybdenum"): ("molybdenum", "ferro_molybdenum", None),
    ("ferro-alloys", "Ferro-tungsten"): ("tungsten", "ferro_tungsten", None),
    ("ferro-alloys", "Ferro-titanium"): ("titanium", "ferro_titanium", None),
    ("ferro-alloys", "Ferro-rare earth"): ("rare_earths", "ferro_rare_earth", None),
}
# Lithium "(Li content)" rows noted "Hydroxide." are hydroxide made from the same country's
# spodumene or carbonate (Australia, Chile): counting them as mine output would count it twice.
BGS_LI_HYDROXIDE_NOTE = "Hydroxide."


def usgs_name_resolver(out):
    names = {}
    with open(out / OUT_COUNTRIES, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["kind"] == "country":
                names.setdefault(r["name"].strip().lower(), r["iso3"])
    for k, v in USGS_NAME_ALIASES.items():
        names[k.lower()] = v

    def resolve(raw):
        """(kind, iso3, qualifier) for a USGS COUNTRY cell."""
        name = raw.replace("\u00a0", " ").strip()
        low = name.lower()
        if low.startswith("world total"):
            return "world", "", name[len("world total"):].strip(" ,")
        if low.startswith("other countries"):
            return "other", "", name[len("other countries"):].strip(" ,")
        if low in names:  # whole name first: "Congo (Kinshasa)" is not "Congo"
            return "country", names[low], ""
        m = re.match(r"^(.*?)\s*\(([^)]*)\)$", name)
        base, qualifier = (m.group(1), m.group(2)) if m else (name, "")
        iso3 = names.get(base.lower())
        if iso3 is None:
            return "unresolved", "", qualifier
        return "country", iso3, qualifier
    return resolve


def usgs_number(v):
    v = v.strip().replace(",", "")
    return "" if v == "" else repr(float(v)).removesuffix(".0")


def build_production(data, out):
    section("production.csv (USGS MCS 2025 and BGS World Mineral Statistics, tidy)")
    copy_verbatim(data / USGS_FILE, out / OUT_USGS_RAW)
    resolve = usgs_name_resolver(out)
    rows = []
    stats = collections.Counter()
    unresolved = collections.Counter()
    skipped_usgs = collections.Counter()
    with open(data / USGS_FILE, encoding="utf-8-sig", newline="") as f:
        usgs = list(csv.DictReader(f))
    for r in usgs:
        commodity = r["COMMODITY"].strip()
        kind_type = r["TYPE"].strip()
        target = next(((m, s) for c, t, m, s in USGS_MAP
                       if c == commodity and kind_type.lower().startswith(t.lower())), None)
        if target is None:
            skipped_usgs[commodity] += 1
            continue
        kind, iso3, qualifier = resolve(r["COUNTRY"])
        if kind == "unresolved":
            unresolved[("usgs", r["COUNTRY"])] += 1
        for col, year, est in USGS_YEARS:
            note = "; ".join(p for p in (qualifier, est, r["PROD_NOTES"].strip()) if p)
            rows.append(["usgs", target[0], target[1], commodity + ": " + kind_type, year,
                         r["COUNTRY"], iso3, kind, usgs_number(r[col]),
                         r["UNIT_MEAS"].strip(), note])
            stats["usgs"] += 1
    # A blank UNIT_MEAS takes the one unit of the other rows of its commodity and type.
    units = collections.defaultdict(set)
    for r in rows:
        if r[9]:
            units[r[3]].add(r[9])
    for r in rows:
        if not r[9]:
            if len(units[r[3]]) == 1:
                r[9] = next(iter(units[r[3]]))
                print("  USGS blank unit filled: %s, %s %d -> %r" % (r[3], r[5], r[4], r[9]))
            else:
                fail("USGS row %s %s %d has no unit" % (r[3], r[5], r[4]))
    print("  USGS: %d source rows; %d rows mapped to a mineral id (x2 years -> %d tidy rows)"
          % (len(usgs), stats["usgs"] // 2, stats["usgs"]))
    print("  USGS rows of commodities or types outside the mineral map (not copied): %d (%s)" % (
        sum(skipped_usgs.values()),
        ", ".join("%s %d" % kv for kv in sorted(skipped_usgs.items()))))

    bgs_files = sorted((data / BGS_DIR).glob("bgs_wms_*_production.csv"))
    if len(bgs_files) != 14:
        fail("expected 14 BGS files, found %d" % len(bgs_files))
    skipped_bgs = collections.Counter()
    iso_fixed = collections.Counter()
    for path in bgs_files:
        with open(path, encoding="utf-8", newline="") as f:
            src = list(csv.DictReader(f))
        for r in src:
            key = (r["bgs_commodity_trans"].strip(), r["bgs_sub_commodity_trans"].strip())
            target = BGS_MAP.get(key)
            if target is None:
                skipped_bgs[" / ".join(k for k in key if k)] += 1
                continue
            mineral, stage, unit = target
            figure_note = r["concat_figure_notes_text"].strip()
            if (mineral == "lithium" and key[1] == "Lithium minerals (Li content)"
                    and BGS_LI_HYDROXIDE_NOTE in figure_note.split("|")):
                stage = "hydroxide_li_content"
            name = r["country_trans"].strip()
            iso3 = r["country_iso3_code"].strip()
            if iso3 in BGS_ISO_FIX:
                iso_fixed["%s %s -> %s" % (name, iso3, BGS_ISO_FIX[iso3])] += 1
                iso3 = BGS_ISO_FIX[iso3]
            if name in BGS_NAME_ISO and iso3 != BGS_NAME_ISO[name]:
                iso_fixed["%s (%s) -> %s" % (name, iso3 or "no code", BGS_NAME_ISO[name])] += 1
                iso3 = BGS_NAME_ISO[name]
            kind = "country" if re.fullmatch(r"[A-Z]{3}", iso3) else "unresolved"
            if kind == "unresolved":
                unresolved[("bgs", name)] += 1
            qty = r["quantity"].strip()
            precision = r["data_precision_description"].strip()
            note = "; ".join(p for p in (precision, figure_note.replace("|", " "))
                             if p)
            series = r["bgs_commodity_trans"].strip() + (
                (": " + key[1]) if key[1] else "")
            rows.append(["bgs", mineral, stage, series, int(r["year"][:4]), name, iso3, kind,
                         usgs_number(qty) if qty else "", unit or r["units"].strip(), note])
            stats["bgs"] += 1
        print("  BGS %s: %d rows" % (path.name, len(src)))
    print("  BGS rows copied: %d; not copied (no mineral id or mixed alloys): %d (%s)" % (
        stats["bgs"], sum(skipped_bgs.values()),
        "; ".join("%s %d" % kv for kv in sorted(skipped_bgs.items()))))
    for k, n in sorted(iso_fixed.items()):
        print("  BGS code replaced: %s (%d rows)" % (k, n))

    keys = collections.Counter((r[0], r[1], r[2], r[4], r[6], r[9]) for r in rows
                               if r[7] == "country" and r[8] not in ("", "0"))
    multi = sorted(k for k, n in keys.items() if n > 1)
    print("  country-years with several rows in one (source, mineral, stage, unit) group, "
          "summed by the concentration: %d (%s)" % (
              len(multi), "; ".join("%s %s %s %d %s" % (k[0], k[1], k[2], k[3], k[4])
                                    for k in multi[:12]) + (" ..." if len(multi) > 12 else "")))
    kinds = collections.Counter((r[0], r[7]) for r in rows)
    print("  rows by source and kind: %s" % dict(sorted(kinds.items())))
    print("  unresolved country names (kept with kind unresolved, outside shares):")
    for (src_name, name), n in sorted(unresolved.items()):
        print("    - %s %r (%d rows)" % (src_name, name, n))
    if not unresolved:
        print("    none")
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[4], r[7] != "country", r[6], r[5], r[3]))
    write_csv(out / OUT_PRODUCTION, PRODUCTION_HEADER, rows)
    print("  wrote %s: %d rows" % (OUT_PRODUCTION, len(rows)))
    return {"production_rows": len(rows), "production_usgs": stats["usgs"],
            "production_bgs": stats["bgs"], "usgs_rows": len(usgs),
            "unresolved": sorted("%s %r" % k for k in unresolved)}


RESOURCES_HEADER = ["source", "edition", "mineral", "stage", "measure", "series", "year",
                    "country_name_raw", "iso3", "kind", "quantity", "lower_bound", "unit", "note"]
# (measure, column, year, column of notes, note added): the capacity and reserves columns of the
# MCS 2025 world table. Reserves are as of 2024 (the edition's "Reserves" column).
USGS_RESOURCE_COLUMNS = (
    ("capacity", "CAP_2023", 2023, "CAP_NOTES", ""),
    ("capacity", "CAP_EST_ 2024", 2024, "CAP_NOTES", "estimated (MCS 2025)"),
    ("reserves", "RESERVES_2024", 2024, "RESERVE_NOTES", ""),
)


def build_resources(data, out):
    """Capacity and reserves of the MCS 2025 world table, on the mineral ids and stages of
    production.csv (USGS_MAP), one row per country, measure and year with a figure or a note."""
    section("resources.csv (USGS MCS 2025 capacity and reserves, tidy)")
    resolve = usgs_name_resolver(out)
    with open(data / USGS_FILE, encoding="utf-8-sig", newline="") as f:
        usgs = list(csv.DictReader(f))
    rows = []
    counts = collections.Counter()
    for r in usgs:
        commodity = r["COMMODITY"].strip()
        kind_type = r["TYPE"].strip()
        target = next(((m, s) for c, t, m, s in USGS_MAP
                       if c == commodity and kind_type.lower().startswith(t.lower())), None)
        if target is None:
            continue
        kind, iso3, qualifier = resolve(r["COUNTRY"])
        for measure, column, year, notes, est in USGS_RESOURCE_COLUMNS:
            raw = r[column].strip().replace(",", "")
            source_note = r[notes].replace("\u00a0", " ").strip()
            if not raw and not source_note:
                continue
            lower_bound = raw.startswith(">")
            if lower_bound:
                raw = raw[1:]
            if raw and not re.fullmatch(r"[0-9.]+", raw):
                fail("USGS %s %s %s: %s %r is not a number" % (commodity, r["COUNTRY"], kind_type,
                                                             column, r[column]))
            note = "; ".join(p for p in (qualifier, est if raw else "", source_note) if p)
            rows.append(["usgs", "MCS2025", target[0], target[1], measure,
                         commodity + ": " + kind_type, year, r["COUNTRY"].strip(), iso3, kind,
                         usgs_number(raw) if raw else "", "true" if lower_bound else "false",
                         r["UNIT_MEAS"].strip(), note])
            counts[(measure, kind, bool(raw))] += 1
    units = collections.defaultdict(set)
    for r in rows:
        if r[12]:
            units[r[5]].add(r[12])
    for r in rows:
        if not r[12]:
            if len(units[r[5]]) == 1:
                r[12] = next(iter(units[r[5]]))
            else:
                fail("USGS resource row %s %s has no unit" % (r[5], r[7]))
    rows.sort(key=lambda r: (r[2], r[3], r[4], r[6], r[9] != "country", r[8], r[7], r[5]))
    write_csv(out / OUT_RESOURCES, RESOURCES_HEADER, rows)
    for (measure, kind, has_value), n in sorted(counts.items()):
        print("  %s %s rows %s a figure: %d" % (measure, kind, "with" if has_value else "without",
                                                n))
    print("  wrote %s: %d rows" % (OUT_RESOURCES, len(rows)))
    return {"resource_rows": len(rows)}


US_NIR_HEADER = ["edition", "commodity", "statistics_detail", "mineral", "stage", "year",
                 "published_value", "nir_share", "qualifier", "note"]
# MCS 2026 salient-statistics commodity (and a word of its detail) -> (mineral id, trade stage
# or "" for the commodity as a whole). Details naming another product (ferrosilicon, heavy rare
# earths, magnesium compounds) are not a mineral id's figure and are left out.
US_NIR_MAP = [
    ("Aluminum", "", "aluminium", "refined"),
    ("Bauxite", "", "aluminium", "ore"),
    ("Antimony", "", "antimony", ""),
    ("Arsenic", "", "arsenic", ""),
    ("Barite", "", "barite", ""),
    ("Beryllium", "", "beryllium", ""),
    ("Bismuth", "", "bismuth", ""),
    ("Boron", "", "boron", ""),
    ("Cesium", "", "cesium", ""),
    ("Chromium", "", "chromium", ""),
    ("Cobalt", "", "cobalt", ""),
    ("Copper", "", "copper", "refined"),
    ("Feldspar", "", "feldspar", ""),
    ("Fluorspar", "", "fluorspar", ""),
    ("Gallium", "", "gallium", ""),
    ("Germanium", "", "germanium", ""),
    ("Graphite (Natural)", "", "graphite", ""),
    ("Hafnium", "", "hafnium", ""),
    ("Helium", "", "helium", ""),
    ("Indium", "", "indium", ""),
    ("Lead", "", "lead", "refined"),
    ("Lithium", "", "lithium", ""),
    ("Magnesium Metal", "", "magnesium", "refined"),
    ("Manganese", "", "manganese", ""),
    ("Molybdenum", "", "molybdenum", ""),
    ("Nickel", "", "nickel", ""),
    ("Niobium (Columbium)", "", "niobium", ""),
    ("Palladium", "", "palladium", ""),
    ("Phosphate Rock", "", "phosphate", "ore"),
    ("Platinum", "", "platinum", ""),
    ("Potash", "", "potash", ""),
    ("Rare Earths", "Mineral concentrates", "rare_earths", "ore"),
    ("Rare Earths", "Compounds and metals", "rare_earths", ""),
    ("Rhenium", "", "rhenium", ""),
    ("Scandium", "", "scandium", ""),
    ("Silicon", "Silicon metal", "silicon", "refined"),
    ("Silicon", "Total", "silicon", ""),
    ("Silver", "", "silver", ""),
    ("Strontium", "", "strontium", ""),
    ("Tantalum", "", "tantalum", ""),
    ("Tellurium", "", "tellurium", ""),
    ("Tin", "", "tin", "refined"),
    ("Titanium Mineral Concentrates", "", "titanium", "ore"),
    ("Titanium sponge metal", "", "titanium", "refined"),
    ("Tungsten", "", "tungsten", ""),
    ("Vanadium", "", "vanadium", ""),
    ("Yttrium", "", "yttrium", ""),
    ("Zinc", "Ores and concentrates", "zinc", "ore"),
    ("Zinc", "Refined zinc", "zinc", "refined"),
    ("Zirconium", "", "zirconium", "ore"),
]


def build_us_nir(data, out, minerals):
    """US net import reliance of the MCS 2026 salient statistics, for the mineral ids."""
    section("usgs_mcs2026_us_net_import_reliance.csv (USGS MCS 2026, United States)")
    # Windows-1252: the section is "Salient Statistics\u2014United States" with byte 0x97.
    with open(data / USGS_2026_FILE, encoding="cp1252", newline="") as f:
        src = list(csv.DictReader(f))
    nir = [r for r in src if r["Statistics"].strip() == "Net import reliance"]
    sections = {r["Section"] for r in nir}
    if sections != {"Salient Statistics\u2014United States"}:
        fail("MCS 2026 net import reliance rows in sections %r" % sections)
    rows, skipped = [], collections.Counter()
    for r in nir:
        commodity = r["Commodity"].strip()
        detail = r["Statistics_detail"].replace("\u00a0", " ").strip()
        target = next(((m, s) for c, d, m, s in US_NIR_MAP
                       if c == commodity and d.lower() in detail.lower()), None)
        if target is None:
            skipped[commodity] += 1
            continue
        if target[0] not in minerals:
            fail("US_NIR_MAP names %s, not a mineral id of hs6_minerals.csv" % target[0])
        value = r["Value"].strip()
        if re.fullmatch(r"[0-9.]+", value):
            share, qualifier = repr(float(value) / 100.0), ""
        elif re.fullmatch(r"[<>][0-9.]+", value):
            share, qualifier = "", value[0]
        elif value == "E":
            share, qualifier = "", "net_exporter"
        elif re.search(r"100% net import reliant", detail):
            share, qualifier = "1.0", ""
        else:
            share, qualifier = "", "not_published"
        note = "; ".join(p for p in (r["Notes"].replace("\u2013", "-").strip(),
                                     "" if value else "no value in the file") if p)
        rows.append(["MCS2026", commodity, detail, target[0], target[1], int(r["Year"]), value,
                     share, qualifier, note])
    keys = collections.Counter((r[3], r[4], r[5]) for r in rows)
    twice = [k for k, n in keys.items() if n > 1]
    if twice:
        fail("US net import reliance given twice for %s" % twice[:5])
    rows.sort(key=lambda r: (r[3], r[4], r[5]))
    write_csv(out / OUT_US_NIR, US_NIR_HEADER, rows)
    print("  net import reliance rows: %d; mapped to a mineral id: %d; left out: %s" % (
        len(nir), len(rows), ", ".join("%s %d" % kv for kv in sorted(skipped.items()))))
    print("  wrote %s: %d rows" % (OUT_US_NIR, len(rows)))
    return {"us_nir_rows": len(rows), "us_nir_source_rows": len(nir),
            "mcs2026_rows": len(src)}


# --------------------------------------------------------------------------------------------
# 6. sample-data/SOURCES.md
# --------------------------------------------------------------------------------------------

def count_records(path, encoding):
    with open(path, encoding=encoding, newline="") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def governance_production_sources(stats, script):
    """SOURCES.md rows of the WGI and production files."""
    wb_origin = ("World Bank, Worldwide Governance Indicators via World Development Indicators bulk "
                 "download API_PV.EST_DS2_en_csv_v2_7919 (last updated 2025-07-01), via GitHub "
                 "Sedem-77/health-financing-mortality-africa")
    wb_terms = "CC BY 4.0; attribute the World Bank (Worldwide Governance Indicators)"
    usgs_origin = ("USGS Mineral Commodity Summaries 2025 world production data release, "
                   "doi:10.5066/P13XCP3R, via GitHub manuali-luciana/critical-minerals-replication")
    bgs_origin = ("British Geological Survey World Mineral Statistics (14 files bgs_wms_<mineral>_"
                  "production.csv, 1971-2023), via GitHub manuali-luciana/critical-minerals-"
                  "replication")
    unresolved = ", ".join(stats["unresolved"]) or "none"
    return [
        ("`conf/reference/wgi/wgi_pv.csv`",
         "World Bank WGI Political Stability and Absence of Violence/Terrorism: Estimate (PV.EST), "
         "long format `iso3,country_name,year,pv_est`: %d rows, %d countries x the years with any "
         "published value (%s: 1996, 1998, 2000, then yearly); pv_est empty where the country has "
         "no value (%d rows)." % (stats["wgi_rows"], stats["wgi_countries"], stats["wgi_years"],
                                  stats["wgi_missing"]),
         wb_origin, wb_terms,
         "Derived by %s from the wide file: 4 preamble lines and BOM dropped; %d aggregates "
         "(regions, income groups, World: empty Region in Metadata_Country) removed of %d rows."
         % (script, stats["wgi_aggregates"], stats["wgi_source_rows"])),
        ("`conf/reference/wgi/wgi_pv_est_worldbank_API_PV.EST_DS2_en_csv_v2_7919.csv`, "
         "`conf/reference/wgi/wgi_pv_est_worldbank_Metadata_Country_API_PV.EST_DS2_en_csv_v2_7919"
         ".csv`",
         "The wide PV.EST file (1960-2024 columns, %d rows with aggregates; UTF-8 with BOM, CRLF, "
         "4 preamble lines) and its country metadata (Region empty for aggregates)."
         % stats["wgi_source_rows"],
         wb_origin, wb_terms, "Byte-identical copies by %s." % script),
        ("`conf/reference/production/usgs_mcs2025_world_production_reserves.csv`",
         "USGS MCS 2025 world production 2023 and 2024 (estimated), capacity and reserves by "
         "commodity, country and type: %d rows. UTF-8 with BOM, spaces in column names and "
         "trailing spaces in values." % stats["usgs_rows"],
         usgs_origin, "US Government work, public domain",
         "Byte-identical copy by %s." % script),
        ("`conf/reference/production/production.csv`",
         "Mine and refinery production by source, mineral id, stage, year and country, long "
         "format `source,mineral,stage,series,year,country_name_raw,iso3,kind,quantity,unit,note`: "
         "%d rows (USGS %d, BGS %d). `kind` is country, world (USGS world totals), other (USGS "
         "'Other countries') or unresolved; only country rows enter shares. Quantity empty where "
         "the source has no figure; 0 where the source says nil."
         % (stats["production_rows"], stats["production_usgs"], stats["production_bgs"]),
         usgs_origin + "; " + bgs_origin,
         "USGS: public domain. BGS: \"Contains British Geological Survey materials © UKRI\" "
         "(attribute BGS World Mineral Statistics)",
         "Derived by %s. USGS: commodities and production types mapped to mineral ids and stages "
         "(capacity, reserves and other commodities not copied), one row per year (2024 noted "
         "estimated), country names resolved to ISO3 through countries.csv names plus a checked "
         "alias table (Burma, Congo (Kinshasa), Korea, North...), qualifiers such as "
         "'(shipments)' moved to the note. BGS: read by column name; year from the timestamp; "
         "the source's ISO3 kept except Kosovo 1A0 -> XKX, Zaire ZAR -> COD, Rhodesia -> ZWE; "
         "sub-commodities that measure something else (lithium minerals by gross weight, "
         "rare-earth minerals, ferro-alloys) get a stage of their own; lithium '(Li content)' "
         "series add up to stage mine, except hydroxide made from the same country's ore. "
         "Unresolved names: %s." % (script, unresolved)),
        ("`conf/reference/production/resources.csv`",
         "Capacity (2023, 2024 estimated) and reserves (2024) by mineral id, stage, country and "
         "year, long format `source,edition,mineral,stage,measure,series,year,country_name_raw,"
         "iso3,kind,quantity,lower_bound,unit,note`: %d rows. `lower_bound` marks figures the "
         "source gives as '>' (world reserves of nickel, rare earths...); `kind` as in "
         "production.csv (world: 'World total (rounded)', other: 'Other countries')."
         % stats["resource_rows"],
         usgs_origin, "US Government work, public domain",
         "Derived by %s from the MCS 2025 file: the same commodities, types, stages and country "
         "names as production.csv; the CAP_2023, CAP_EST_ 2024 and RESERVES_2024 columns with "
         "CAP_NOTES and RESERVE_NOTES; rows with neither a figure nor a note left out." % script),
        ("`conf/reference/production/usgs_mcs2026_us_net_import_reliance.csv`",
         "US net import reliance as a percentage of apparent (or reported, estimated) consumption, "
         "2021-2025, by commodity of the MCS 2026 salient statistics mapped to mineral ids (and a "
         "trade stage where the figure is for one product, e.g. zinc ores or refined zinc): %d "
         "rows of the %d net import reliance rows. `nir_share` is the published percent / 100; "
         "'>95', '<25' (a bound), 'E' (net exporter) and withheld values have no share and a "
         "`qualifier`." % (stats["us_nir_rows"], stats["us_nir_source_rows"]),
         "USGS Mineral Commodity Summaries 2026 data (`usgs_mcs2026_commodities_data.csv`, "
         "%d rows, long format), via GitHub manuali-luciana/critical-minerals-replication"
         % stats["mcs2026_rows"],
         "US Government work, public domain",
         "Derived by %s: read as Windows-1252 (the section name 'Salient Statistics\u2014United "
         "States' holds byte 0x97); rows with Statistics 'Net import reliance' of the commodities "
         "mapped in US_NIR_MAP; the rest (abrasives, cement, stone, ferrosilicon...) left out."
         % script),
    ]



def write_sources(out, stats):
    section("SOURCES.md")
    ct_terms = 'UN Comtrade terms of use: attribute "UN Comtrade"; no redistribution of bulk extracts'
    nickel_origin = ("UN Comtrade Plus API extract via GitHub manuali-luciana/"
                     "critical-minerals-replication `data/source/UN_nickel_trade.csv` at 4739c5e "
                     "(years after 2015 removed)")
    tha_origin = ("UN Comtrade Plus extract via GitHub methakanb/taiwan-semiconductor-risk-thailand "
                  "`data/raw/TradeData.csv` at 7b096c4")
    baci_origin = "CEPII BACI V202501 country codes, via GitHub tomasdata/Trade-Finance"
    ref_origin = ("curated audit reference (shared `reference/` folder), built from public pages "
                  "and repositories named in each row's `source` column")
    hs_origin = (ref_origin + "; HS2017/HS2022 texts are the UN Comtrade H5/H6 self-explanatory "
                 "texts from datasets/harmonized-system (HS2017 @a72bef25, HS2022 @905e5a0f), not "
                 "the WCO legal text; mineral and stage labels cross-checked against the JRC-RMIS-"
                 "derived basket in manuali-luciana/critical-minerals-replication and "
                 "qennis/ChinaCriticalMineralComtrade")
    ref_terms = ("no licence stated for the table; each row names its own source and confidence "
                 "(`verified` = read in the source, `standard` = mapping not found verbatim)")
    script = "`" + SCRIPT_REL + "`"
    rows = [
        ("`sample-data/comtrade/nickel_api_extract_2010-2015.csv`",
         "Real UN Comtrade Plus annual extract, nickel ores and concentrates (HS 260400) and "
         "nickel mattes (750110): %d rows, periods 2010-2015, 15 reporters (CHN, USA, JPN, KOR, "
         "DEU, FIN, NOR, AUS, CAN, IDN, PHL, GBR, ZAF, BRA, IND), imports and exports, partner "
         "rows and partner World (W00) rows. Same 22-column header as the source; CRLF line "
         "ends." % stats["slice_rows"],
         nickel_origin, ct_terms,
         "Line slice of `comtrade_api_nickel_2000-2015.csv` by %s: header plus every line whose "
         "`period` is 2010..2015 and `reporterISO` is one of the 15 reporters; lines copied "
         "byte for byte, not re-serialised. The script checks that partner rows sum to the "
         "World row per reporter, flow, cmdCode and period: %d groups, %d off by more than "
         "1 USD%s."
         % (script, stats["groups"], len(stats["exceptions"]),
            (" (" + "; ".join(stats["exceptions"]) + ")") if stats["exceptions"] else "")),
        ("`sample-data/comtrade/generated_minerals_monthly_2024.csv.gz`",
         "Synthetic monthly Comtrade-shaped trade data. Not real data.",
         "Generated by this project: `jobs/critmin generate --rows 60000 --years 2024-2024 --monthly --seed 2024 --out sample-data/comtrade/generated_minerals_monthly_2024.csv.gz` (47-column Comtrade plus layout, gzip)", "n/a (synthetic)",
         "Produced by the generator, not by %s." % script),
        ("`src/test/resources/fixtures/comtrade_api_nickel_2000-2015.csv`",
         "Real UN Comtrade Plus extract, HS 260400 and 750110, annual 2000-2015, 175 reporters, "
         "%d rows. Blank netWgt, cifvalue, fobvalue occur; qtyUnitAbbr can be `N/A`."
         % stats["nickel_rows"],
         nickel_origin, ct_terms, "Byte-identical copy by %s." % script),
        ("`src/test/resources/fixtures/comtrade_plus_full47col_THA_imports_HS8542_2014-2024.csv`",
         "The full 47-column Comtrade Plus header, %d rows: Thailand's imports of integrated "
         "circuits (HS 8542, not a mineral). Latin-1 encoded, every value quoted, a trailing "
         "comma on every line (empty 48th field), mixed HS editions H4/H5/H6. A parser fixture."
         % stats["tha_rows"],
         tha_origin, "UN Comtrade terms of use", "Byte-identical copy by %s." % script),
        ("`conf/reference/countries.csv`",
         "One row per UN Comtrade reporter/partner code (%d rows): ISO3 (or the Comtrade code "
         "for areas), name, kind (country, world, unallocated, group), China-linked flag, "
         "source of the row." % stats["countries"],
         baci_origin + "; codes BACI lacks from the UN Comtrade reference (partnerAreas, "
         "reporterAreas for 97; 381 from the UN Comtrade Knowledgebase on customs areas)",
         "CEPII: cite BACI (Gaulier & Zignago 2010); UN Comtrade terms of use for the added "
         "codes",
         "Derived by %s: BACI rows with mojibake names re-decoded (latin-1 -> UTF-8); 490 set to "
         "TWN, 'Other Asia, nes (Taiwan)'; %d Comtrade codes added; kind and china_linked "
         "assigned; every code in the two Comtrade files above checked to resolve."
         % (script, stats["countries"] - stats["baci"])),
        ("`conf/reference/hs6_minerals.csv`",
         "HS6 code x HS edition (HS2017, HS2022) x mineral map with stage (ore, intermediate, "
         "refined, semi, product; basket for codes kept only for the shock models), lumped flag, the critical minerals sharing a lumped code, "
         "the original label, HS text, source and confidence. %d rows." % stats["hs_rows"],
         hs_origin, ref_terms,
         "Derived by %s from `reference/hs6_critical_minerals.csv`: HS2017/HS2022 rows only; "
         "labels reduced to mineral ids; a label naming several critical minerals becomes one "
         "row per mineral; filler parts (other metals, gold, boron...) get no row but make the "
         "code lumped. Plus critmin's additions, each row sourced, in "
         "`conf/reference/build/hs6_additions.csv`: the HS6 codes shock events restrict that the "
         "source lacks (stage basket) and the minerals of the USGS 2025 and EU 2023 lists it "
         "lacks (uranium, silver, lead, boron, potash, phosphate, arsenic, cesium, rubidium, "
         "metallurgical coal, feldspar, helium, strontium, phosphorus)." % script),
        ("`conf/reference/shock_events.csv`",
         "%d real export restrictions and supply shocks with dates, HS6 codes where known and "
         "sources; where sources disagree the description says so." % stats["events"],
         ref_origin, ref_terms, "Verbatim copy by %s." % script),
        ("`conf/reference/critical_minerals_lists.csv`",
         "Critical-mineral lists: USGS 2022 final (50), USGS 2025 draft (54) and final (60), EU "
         "2023 critical raw materials (34), EU CRMA Annex I strategic raw materials (17); %d "
         "rows." % stats["lists"],
         ref_origin, ref_terms, "Verbatim copy by %s." % script),
    ]
    rows += governance_production_sources(stats, script)

    def cell(s):
        return s.replace("|", "\\|").replace("\n", " ")

    lines = [
        "# Sources of the data files in this repository",
        "",
        "Except the generated file, every file below is real public data published by others. "
        "The project never reads the original source folder at run time, so these copies and "
        "derivations are committed. All real-data files here are regenerated by `python3 %s [DATA_DIR]` from the shared "
        "source data folder (default `../shared/data` relative to the repository root)."
        % SCRIPT_REL,
        "",
        "| file | what it is | origin | terms | how it was derived |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append("| " + " | ".join(cell(c) for c in r) + " |")
    lines += [
        "",
        "UN Comtrade data: attribute \"UN Comtrade\". BACI: Gaulier, G. and Zignago, S. (2010), "
        "BACI: International Trade Database at the Product-Level. The 1994-2007 Version. CEPII "
        "Working Paper 2010-23.",
        "",
    ]
    p = out / OUT_SOURCES
    p.parent.mkdir(parents=True, exist_ok=True)
    with open(p, "w", encoding="utf-8", newline="") as f:
        f.write("\n".join(lines))
    print("  wrote %s (%d table rows)" % (OUT_SOURCES, len(rows)))


def main(argv):
    data = Path(argv[1]) if len(argv) > 1 else REPO.parent / "shared" / "data"
    data = data.resolve()
    if not (data / BACI_FILE).is_file():
        print("data folder %s does not hold %s" % (data, BACI_FILE), file=sys.stderr)
        return 2
    print("source data: %s" % data)
    print("repository:  %s" % REPO)
    n_countries, n_baci = build_countries(data, REPO)
    hs_rows, n_hs = build_hs_map(data, REPO)
    copy_reference(data, REPO, hs_rows)
    slice_rows, groups, exceptions = build_slice(data, REPO)
    copy_fixtures(data, REPO)
    wgi_stats = build_wgi(data, REPO)
    production_stats = build_production(data, REPO)
    production_stats.update(build_resources(data, REPO))
    production_stats.update(build_us_nir(data, REPO, {r[2] for r in hs_rows}))
    stats = {
        "countries": n_countries, "baci": n_baci, "hs_rows": n_hs,
        "slice_rows": slice_rows, "groups": groups, "exceptions": exceptions,
        "nickel_rows": count_records(data / NICKEL_FILE, "utf-8"),
        "tha_rows": count_records(data / THA_FILE, "latin-1"),
        "events": count_records(data / EVENTS_FILE, "utf-8"),
        "lists": count_records(data / LISTS_FILE, "utf-8"),
    }
    stats.update(wgi_stats)
    stats.update(production_stats)
    write_sources(REPO, stats)
    section("result")
    if FAILURES:
        print("  %d check(s) failed" % len(FAILURES))
        return 1
    print("  all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
