// The beleidsinfo dashboard: asks the Beleidsinfo API and shows each indicator as a plotly chart and a table.
// No figure is computed here: the charts and tables show what the API answers, suppressed cells included.
"use strict";

const API = "/beleidsinfo/api/v1";
const ALLE = "alle";
const NAMEN = Array.from(document.querySelectorAll("section[data-indicator]")).map((s) => s.dataset.indicator);
const MINIMUM = document.body.dataset.minimum;

function b64url(bytes) {
  let text = "";
  for (const b of new Uint8Array(bytes)) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

// A JWT-ZGW token (HS256) signed here with WebCrypto: the secret is not sent anywhere.
async function signToken(clientId, secret) {
  const enc = new TextEncoder();
  const header = b64url(enc.encode(JSON.stringify({ alg: "HS256", typ: "JWT" })));
  const claims = { iss: clientId, client_id: clientId, iat: Math.floor(Date.now() / 1000),
                   user_id: "", user_representation: "" };
  const body = `${header}.${b64url(enc.encode(JSON.stringify(claims)))}`;
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" },
                                            false, ["sign"]);
  return `${body}.${b64url(await crypto.subtle.sign("HMAC", key, enc.encode(body)))}`;
}

async function token() {
  const pasted = document.getElementById("token").value.trim();
  if (pasted) return pasted;
  const clientId = document.getElementById("client-id").value.trim();
  const secret = document.getElementById("secret").value;
  if (!clientId || !secret) throw new Error("Geef een token, of een client id met zijn secret.");
  return signToken(clientId, secret);
}

function selectie() {
  const params = new URLSearchParams();
  for (const name of ["van", "tot", "periode", "kolom", "cluster"]) {
    const value = document.getElementById(name).value;
    if (value) params.set(name, value);
  }
  return params;
}

async function vraag(path, params, bearer) {
  const response = await fetch(`${API}${path}?${params}`, { headers: { authorization: `Bearer ${bearer}` } });
  const body = await response.json();
  if (!response.ok) {
    const details = (body.invalidParams || []).map((p) => `${p.name}: ${p.reason}`).join("; ");
    throw new Error(`${body.title || response.status}${details ? " — " + details : ""}`);
  }
  return body;
}

function cel(value, veld) {
  const td = document.createElement("td");
  td.dataset.veld = veld;
  if (value === null || value === undefined) {
    td.textContent = `< ${MINIMUM}`;
    td.className = "getal onderdrukt";
  } else {
    td.textContent = typeof value === "number" ? value.toLocaleString("nl-NL") : String(value);
    td.dataset.waarde = String(value);
    if (typeof value === "number") td.className = "getal";
  }
  return td;
}

function tabel(id, kolommen, rijen, sleutel) {
  const table = document.getElementById(id);
  table.replaceChildren();
  const kop = document.createElement("tr");
  for (const k of kolommen) {
    const th = document.createElement("th");
    th.textContent = k;
    kop.appendChild(th);
  }
  table.appendChild(kop);
  for (const rij of rijen) {
    const tr = document.createElement("tr");
    tr.dataset.sleutel = sleutel(rij);
    for (const k of kolommen) {
      const onderdrukt = rij.onderdrukt && !(k in rij && typeof rij[k] === "string");
      tr.appendChild(onderdrukt && k !== "onderdrukt" ? cel(null, k) : cel(rij[k], k));
    }
    table.appendChild(tr);
  }
}

function kort(url) {
  return url.startsWith("http") ? url.split("/").pop() : url;
}

// One trace per series (a kolom, a signaalsoort figure), x along the cell's first place field; amounts in
// eurocent are drawn in euro (``schaal``), the tables keep the API's own numbers.
function staven(naam, results, x, reeks, y, schaal = 1) {
  const series = new Map();
  for (const c of results) {
    const key = reeks(c);
    if (key === null) continue;
    if (!series.has(key)) series.set(key, { x: [], y: [], name: key, type: "bar" });
    series.get(key).x.push(kort(c[x]));
    series.get(key).y.push(c.onderdrukt || c[y] === null ? null : c[y] * schaal);
  }
  return Array.from(series.values());
}

const EURO = 0.01;

function grafiek(naam, body) {
  const r = body.results;
  const perKolom = (c) => (c.kolom !== ALLE ? c.kolom : null);
  let traces;
  let titel = "";
  switch (naam) {
    case "signalen":
      traces = ["aantal", "werdAanvraag"].map((veld) => ({
        type: "bar", name: veld, x: r.filter((c) => c.signaalsoort === ALLE).map((c) => c.periode),
        y: r.filter((c) => c.signaalsoort === ALLE).map((c) => (c.onderdrukt ? null : c[veld])) }));
      break;
    case "doorlooptijd":
      traces = staven(naam, r, "periode", perKolom, "mediaanDagenZaakTotResultaat");
      titel = "mediaan dagen van zaak tot resultaat";
      break;
    case "open-zaken":
      traces = staven(naam, r, "statustype", perKolom, "aantal");
      break;
    case "meerdere-kolommen": {
      const kolommen = Array.from(new Set(r.map((c) => c.kolomA)));
      const z = kolommen.map((a) => kolommen.map((b) => {
        const c = r.find((x) => (x.kolomA === a && x.kolomB === b) || (x.kolomA === b && x.kolomB === a));
        return c && !c.onderdrukt ? c.huishoudens : null;
      }));
      traces = [{ type: "heatmap", x: kolommen, y: kolommen, z, colorscale: "Blues" }];
      break;
    }
    case "verplichtingen":
      traces = staven(naam, r.filter((c) => c.aanbieder === ALLE), "periode", perKolom, "verplichting", EURO);
      titel = "verplichting in euro";
      break;
    case "realisatie":
      traces = staven(naam, r, "periode", perKolom, "goedgekeurdBedrag", EURO);
      titel = "goedgekeurd gedeclareerd in euro";
      break;
    case "afwijzingen":
      traces = staven(naam, r, "periode", (c) => (c.reden !== ALLE ? c.reden : null), "aantal");
      break;
    case "budgetten":
      traces = staven(naam, r, "jaar", (c) => (c.kolom !== ALLE ? c.kolom : c.cluster), "budgetBedrag", EURO);
      titel = "budget in euro";
      break;
    default:
      traces = staven(naam, r, "periode", perKolom, "aantal");
  }
  Plotly.react(`grafiek-${naam}`, traces, { barmode: "group", title: { text: titel }, margin: { t: 30 },
                                          xaxis: { type: "category" } },
               { displaylogo: false, responsive: true });
}

// Verplichtingen beside realisatie per kolom over the whole range: two answers of the API side by side.
async function financien(params, bearer) {
  const geheel = new URLSearchParams(params);
  geheel.set("periode", "geheel");
  const verplicht = (await vraag("/indicatoren/verplichtingen", geheel, bearer)).results
    .filter((c) => c.aanbieder === ALLE && c.kolom !== ALLE);
  const realisatie = new Map((await vraag("/indicatoren/realisatie", geheel, bearer)).results
    .filter((c) => c.kolom !== ALLE).map((c) => [c.kolom, c]));
  const rijen = verplicht.map((c) => {
    const r = realisatie.get(c.kolom) || {};
    return { kolom: c.kolom, cluster: c.cluster, verplichting: c.verplichting,
             goedgekeurdBedrag: r.goedgekeurdBedrag ?? null, afgekeurdBedrag: r.afgekeurdBedrag ?? null };
  });
  for (const [kolom, r] of realisatie) {
    if (!rijen.some((x) => x.kolom === kolom)) {
      rijen.push({ kolom, cluster: r.cluster, verplichting: null, goedgekeurdBedrag: r.goedgekeurdBedrag,
                   afgekeurdBedrag: r.afgekeurdBedrag });
    }
  }
  // A figure shows what the API answered for its cell: null (suppressed, or no such cell) as "< minimum".
  tabel("tabel-financien", ["kolom", "cluster", "verplichting", "goedgekeurdBedrag", "afgekeurdBedrag"], rijen,
        (x) => `kolom=${x.kolom}`);
  const traces = [["verplichting", "verplichting"], ["goedgekeurdBedrag", "goedgekeurd"],
                  ["afgekeurdBedrag", "afgekeurd"]].map(([veld, naam]) => ({
    type: "bar", name: naam, x: rijen.map((x) => x.kolom),
    y: rijen.map((x) => (x[veld] === null ? null : x[veld] * EURO)) }));
  Plotly.react("grafiek-financien", traces, { barmode: "group", title: { text: "in euro, over de hele periode" },
                                             margin: { t: 30 }, xaxis: { type: "category" } },
               { displaylogo: false, responsive: true });
}

async function tonen(event) {
  if (event) event.preventDefault();
  const melding = document.getElementById("melding");
  melding.textContent = "Bezig…";
  try {
    const bearer = await token();
    const params = selectie();
    const lijst = await vraag("/indicatoren", new URLSearchParams(), bearer);
    const meta = new Map(lijst.results.map((i) => [i.naam, i]));
    for (const naam of NAMEN) {
      const body = await vraag(`/indicatoren/${naam}`, params, bearer);
      const { plaats, velden } = meta.get(naam);
      tabel(`tabel-${naam}`, [...plaats, ...velden], body.results, (c) => plaats.map((p) => `${p}=${c[p]}`).join("|"));
      grafiek(naam, body);
    }
    await financien(params, bearer);
    const indeling = new URLSearchParams();
    for (const k of ["van", "tot"]) if (params.get(k)) indeling.set(k, params.get(k));
    for (const p of document.body.dataset.profielen.split(" ").filter(Boolean)) indeling.append("profiel", p);
    const clusters = await vraag("/clusterindeling", indeling, bearer);
    tabel("tabel-clusterindeling", ["profiel", "huishoudensMeerdereKolommen", "waarvanOverClustersHeen",
                                    "aandeelOverClustersHeen"], clusters.results, (c) => `profiel=${c.profiel}`);
    melding.textContent = `Getoond: ${params.get("van") || "een jaar terug"} tot ${params.get("tot") || "vandaag"}.`;
    document.body.dataset.geladen = "ja";
  } catch (error) {
    melding.textContent = `Niet gelukt: ${error.message}`;
    document.body.dataset.geladen = "fout";
  }
}

document.getElementById("toegang").addEventListener("submit", tonen);
