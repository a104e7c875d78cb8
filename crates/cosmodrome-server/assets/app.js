// The cosmodrome page: asks the JSON API (/api/openapi.json) and draws its answers. No library,
// no network beyond this server: the map is the server's coastline data in an SVG.
"use strict";

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
let sites = [];
let coastline = null;
let lastTrack = null;
let lastImpacts = null;
let lastFootprints = null;
let zoneSets = [];
let currentJob = null;
let vehicles = [];

// The point `distDeg` of great circle from (lat, lon) along azimuth `azDeg`.
function destination(lat, lon, azDeg, distDeg) {
  const r = Math.PI / 180, p1 = lat * r, az = azDeg * r, d = distDeg * r;
  const p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(az));
  const l2 = lon * r + Math.atan2(Math.sin(az) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
  return [((l2 / r + 540) % 360) - 180, p2 / r];
}

function el(tag, attrs = {}, text) {
  const e = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

async function api(method, path, body) {
  const r = await fetch(path, { method, headers: body ? { "content-type": "application/json" } : {}, body: body ? JSON.stringify(body) : undefined });
  const type = r.headers.get("content-type") || "";
  const data = type.includes("json") ? await r.json() : await r.text();
  if (!r.ok) throw Object.assign(new Error(data.error || String(data)), { api: data, status: r.status });
  return data;
}

function fmt(v, digits = 0) {
  return v === null || v === undefined ? "–" : Number(v).toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

// "1 point", "27 points", "100,000 falls".
function count(n, one, many) {
  return `${fmt(n)} ${n === 1 ? one : many}`;
}

// ---- the fields: read strictly on the page, a mistake named by the field's label ----

// A mistake in a field, found before anything is sent: the field is marked and named.
class FieldError extends Error {
  constructor(input, message) {
    super(message);
    this.input = input;
  }
}

// A field's name as its label reads it ("Perigee, km"), for the messages about it.
function fieldLabel(input) {
  const label = input.closest("label") || (input.id && document.querySelector(`label[for="${input.id}"]`));
  const text = label ? [...label.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join(" ").trim() : "";
  return text || input.getAttribute("aria-label") || input.id;
}

// The number in field `id`, undefined when it is empty and not `required`. Refused: what the
// browser cannot read as a number (its validity's badInput: "1e", "-", letters where the browser
// keeps them), an empty required field (`empty` says why it is needed), a fraction where a
// `whole` number is asked for, and a value outside `min`…`max`.
function numberField(id, { required = false, empty = "empty: give a number", whole = false, min, max } = {}) {
  const input = $(id);
  if (input.validity.badInput) throw new FieldError(input, "not a number");
  const text = input.value.trim();
  if (text === "") {
    if (required) throw new FieldError(input, empty);
    return undefined;
  }
  const v = Number(text);
  if (!Number.isFinite(v)) throw new FieldError(input, `${text} is not a number`);
  if (whole && !Number.isInteger(v)) throw new FieldError(input, `${text} is not a whole number`);
  if ((min !== undefined && v < min) || (max !== undefined && v > max)) {
    throw new FieldError(input, `${text} is outside ${fmt(min)}–${fmt(max)}`);
  }
  return v;
}

// Most values one START:END:STEP gives, as the command line's sweep takes.
const MAX_RANGE_VALUES = 1000;

// The values of field `id` as the command line reads a sweep's axis: members separated by commas
// (or spaces), each one number or START:END:STEP (END ≥ START, STEP > 0, both ends included), or
// one of `words` (kept as a word, in lower case). Empty: none. A member that does not read is
// refused, naming the field.
function numberListField(id, words = []) {
  const input = $(id);
  const values = [];
  for (const member of input.value.split(/[\s,]+/).filter((x) => x !== "")) {
    if (words.includes(member.toLowerCase())) {
      values.push(member.toLowerCase());
      continue;
    }
    const parts = member.split(":");
    const number = (x) => {
      const v = x.trim() === "" ? NaN : Number(x);
      if (!Number.isFinite(v)) throw new FieldError(input, `${x === "" ? "an empty value" : x} is not a number${parts.length > 1 ? ` (in ${member}: START:END:STEP)` : ""}`);
      return v;
    };
    if (parts.length === 1) {
      values.push(number(member));
      continue;
    }
    if (parts.length !== 3) throw new FieldError(input, `${member}: a range is START:END:STEP`);
    const [a, b, step] = parts.map(number);
    if (!(step > 0)) throw new FieldError(input, `${member}: the step must be above 0 (START:END:STEP)`);
    if (b < a) throw new FieldError(input, `${member}: the end is below the start (START:END:STEP counts up from START to END)`);
    const n = Math.floor((b - a) / step + 1e-9) + 1;
    if (n > MAX_RANGE_VALUES) throw new FieldError(input, `${member}: ${fmt(n)} values, at most ${fmt(MAX_RANGE_VALUES)}`);
    // Each value from the start, rounded to 12 digits so that 0.1 steps read as typed.
    for (let i = 0; i < n; i++) values.push(Number((a + i * step).toPrecision(12)));
  }
  return values;
}

function fillTable(table, header, rows) {
  table.replaceChildren();
  if (header) {
    const tr = el("tr");
    header.forEach((h) => tr.append(el("th", {}, h)));
    table.append(tr);
  }
  for (const row of rows) {
    const tr = el("tr");
    row.forEach((c) => tr.append(el("td", {}, c)));
    table.append(tr);
  }
}

// ---- the map ----
// A dot of `px` pixels whatever the zoom: a zero-length line with round caps and a stroke
// that does not scale.
function dot(x, y, px, colour, cls) {
  return el("svg:path", { d: `M${x},${y}h0`, stroke: colour, "stroke-width": px, "stroke-linecap": "round", class: cls });
}
function drawMap(track, impacts) {
  lastTrack = track;
  lastImpacts = impacts;
  const svg = $("map");
  svg.replaceChildren();
  svg.setAttribute("aria-label", mapSummary(track, impacts));
  const g = el("svg:g", { transform: "scale(1,-1)" });
  svg.append(g);
  g.append(el("svg:rect", { x: -180, y: -90, width: 360, height: 180, fill: "#eaf1f8" }));
  for (let lon = -180; lon <= 180; lon += 30) g.append(el("svg:line", { x1: lon, y1: -90, x2: lon, y2: 90, stroke: "#cfd9e4", "stroke-width": 1 }));
  for (let lat = -90; lat <= 90; lat += 30) g.append(el("svg:line", { x1: -180, y1: lat, x2: 180, y2: lat, stroke: "#cfd9e4", "stroke-width": 1 }));
  const coast = el("svg:g", { id: "coastline", fill: "none", stroke: "#6b7a8f", "stroke-width": 1 });
  for (const line of coastline || []) coast.append(el("svg:polyline", { points: line.map(([lon, lat]) => `${lon},${lat}`).join(" ") }));
  g.append(coast);
  // The chosen cosmodrome's azimuth corridors, as fans 20° of arc long.
  const corridors = el("svg:g", { id: "corridors", fill: "#f5c211", "fill-opacity": 0.35, stroke: "#c89a00", "stroke-width": 1 });
  for (const s of sites.filter((x) => x.cosmodrome === $("site").value)) {
    // Inclination ranges as the azimuths that reach them (inertial, without the Earth's rotation),
    // on the northbound and the southbound leg.
    const fans = [...s.azimuth_corridors_deg];
    const r = Math.PI / 180;
    for (const [i1, i2] of s.inclination_ranges_deg) {
      const az = (i) => Math.asin(Math.max(-1, Math.min(1, Math.cos(i * r) / Math.cos(s.latitude_deg * r)))) / r;
      if (Math.max(i1, i2) < Math.abs(s.latitude_deg)) continue;
      const [a1, a2] = [az(Math.max(i1, Math.abs(s.latitude_deg))), az(i2)];
      fans.push([Math.min(a1, a2), Math.max(a1, a2)], [180 - Math.max(a1, a2), 180 - Math.min(a1, a2)]);
    }
    for (const [a, b] of fans) {
      const pts = [[s.longitude_deg, s.latitude_deg]];
      const span = Math.max(((b - a) + 360) % 360, 0.5);
      for (let k = 0; k <= 20; k++) pts.push(destination(s.latitude_deg, s.longitude_deg, a + (span * k) / 20, 20));
      if (pts.every(([lon]) => Math.abs(lon - s.longitude_deg) < 90)) corridors.append(el("svg:polygon", { points: pts.map((p) => p.join(",")).join(" ") }));
    }
  }
  g.append(corridors);
  for (const s of sites) {
    const c = dot(s.longitude_deg, s.latitude_deg, 6, "#1d2433", "pad");
    c.append(el("svg:title", {}, `${s.id}: ${s.name}`));
    g.append(c);
  }
  if (track) {
    // Split where the track crosses the antimeridian.
    const segs = [[]];
    for (let i = 0; i < track.longitude_deg.length; i++) {
      const lon = track.longitude_deg[i], lat = track.latitude_deg[i];
      const seg = segs[segs.length - 1];
      if (seg.length && Math.abs(lon - seg[seg.length - 1][0]) > 180) segs.push([]);
      segs[segs.length - 1].push([lon, lat]);
    }
    const tg = el("svg:g", { id: "ground-track", fill: "none", stroke: "#b3261e", "stroke-width": 2.5 });
    for (const seg of segs) if (seg.length > 1) tg.append(el("svg:polyline", { points: seg.map((p) => p.join(",")).join(" ") }));
    g.append(tg);
  }
  fitMap(track, impacts);
  // The designated zones of the chosen set: green circles.
  const dz = el("svg:g", { id: "designated", fill: "#2e7d32", "fill-opacity": 0.12, stroke: "#2e7d32", "stroke-width": 1.5 });
  const set = zoneSets.find((z) => z.id === $("drop-zones").value);
  for (const z of set ? set.zones : []) {
    const poly = el("svg:polygon", { points: z.outline.map((p) => p.join(",")).join(" ") });
    poly.append(el("svg:title", {}, `${z.name} (${z.bodies}): ${fmt(z.radius_km)} km; ${z.source}`));
    dz.append(poly);
  }
  g.append(dz);
  // The drop-zone ellipses: each point `d` km from the mean impact along its bearing. Only for
  // the bodies that come down: one that stays up (no nominal impact: in orbit) has no drop zone,
  // even when a few dispersed falls came down somewhere along its orbit.
  const fp = el("svg:g", { id: "footprints", fill: "#1a5fb4", "fill-opacity": 0.15, stroke: "#1a5fb4", "stroke-width": 1.5 });
  for (const b of lastFootprints || []) {
    const f = b.footprint;
    if (!f || !b.nominal_impact) continue;
    const pts = [];
    for (let k = 0; k < 72; k++) {
      const th = (k * 5 * Math.PI) / 180;
      const [x, y] = [f.semi_major_km * Math.cos(th), f.semi_minor_km * Math.sin(th)];
      const bearing = f.orientation_deg + (Math.atan2(y, x) * 180) / Math.PI;
      pts.push(destination(f.mean_latitude_deg, f.mean_longitude_deg, bearing, Math.hypot(x, y) / 111.195));
    }
    const poly = el("svg:polygon", { points: pts.map((p) => p.join(",")).join(" ") });
    poly.append(el("svg:title", {}, `${b.name}: ${fmt(f.semi_major_km, 1)} × ${fmt(f.semi_minor_km, 1)} km (${f.sigma}σ)`));
    fp.append(poly);
  }
  g.append(fp);
  for (const s of impacts || []) {
    if (!s.impact) continue;
    const { longitude_deg: x, latitude_deg: y } = s.impact;
    const m = dot(x, y, 9, "#1a5fb4", "impact");
    m.append(el("svg:title", {}, `${s.name}: ${fmt(y, 2)}° N ${fmt(x, 2)}° E, ${fmt(s.impact.downrange_km)} km downrange`));
    g.append(m);
  }
}

// What the map shows, in words, for a screen reader: the pads, the ground track's ends, the
// impacts and the drop zones.
function mapSummary(track, impacts) {
  const where = (lat, lon) => `${fmt(Math.abs(lat), 1)}° ${lat < 0 ? "S" : "N"} ${fmt(Math.abs(lon), 1)}° ${lon < 0 ? "W" : "E"}`;
  const parts = [`world map of the ${$("site").value} cosmodrome's pads and corridors`];
  if (track && track.latitude_deg.length) {
    const n = track.latitude_deg.length - 1;
    parts.push(`ground track from ${where(track.latitude_deg[0], track.longitude_deg[0])} to ${where(track.latitude_deg[n], track.longitude_deg[n])}`);
  }
  const down = (impacts || []).filter((s) => s.impact);
  if (down.length) parts.push(`impacts: ${down.map((s) => `${s.name} at ${where(s.impact.latitude_deg, s.impact.longitude_deg)}`).join(", ")}`);
  const zones = (lastFootprints || []).filter((b) => b.footprint && b.nominal_impact);
  if (zones.length) parts.push(`drop zones: ${zones.map((b) => `${b.name} ${fmt(b.footprint.semi_major_km, 1)} × ${fmt(b.footprint.semi_minor_km, 1)} km`).join(", ")}`);
  return parts.join("; ");
}

// The map's view: the world, or the ascent and its falls with a margin; the wheel zooms about
// the pointer, a double click shows the world again.
function setView(x, y, w) {
  w = Math.min(360, Math.max(5, w));
  const h = w / 2;
  x = Math.min(180 - w, Math.max(-180, x));
  y = Math.min(90 - h, Math.max(-90, y));
  $("map").setAttribute("viewBox", `${x} ${y} ${w} ${h}`);
}

function fitMap(track, impacts) {
  if (!track) return setView(-180, -90, 360);
  const lons = [...track.longitude_deg], lats = [...track.latitude_deg];
  for (const s of impacts || []) if (s.impact) lons.push(s.impact.longitude_deg), lats.push(s.impact.latitude_deg);
  if (Math.max(...lons) - Math.min(...lons) > 180) return setView(-180, -90, 360);
  const [x0, x1, y0, y1] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const w = Math.max(x1 - x0, 2 * (y1 - y0)) + 50;
  setView((x0 + x1) / 2 - w / 2, -(y0 + y1) / 2 - w / 4, w);
}

function zoomMap(ev) {
  ev.preventDefault();
  const [x, y, w] = $("map").getAttribute("viewBox").split(" ").map(Number);
  const r = $("map").getBoundingClientRect();
  const fx = (ev.clientX - r.left) / r.width, fy = (ev.clientY - r.top) / r.height;
  const nw = Math.min(360, Math.max(5, w * (ev.deltaY > 0 ? 1.25 : 0.8)));
  setView(x + fx * (w - nw), y + fy * (w - nw) / 2, nw);
}

// ---- the plots: time on x, one quantity on y, hover for values ----
let lastTrajectory = null;
let timeWindow = null; // [t0, t1] shown, or null for the whole flight

// The scales of a chart box W × H with margins L, R, T, B over x0…x1 and y0…y1 (an empty y range
// widened to 1), and its grid: five lines with their y labels (`yText(v, span)`), five x labels
// (`xText(v)`) at height `xLabelY`. The ascent plots' and the propellant sweep's.
function chartAxes(svg, [W, H, L, R, T, B], [x0, x1], [y0, y1], xLabelY, xText, yText) {
  if (y1 === y0) y1 = y0 + 1;
  const px = (v) => L + ((v - x0) / (x1 - x0 || 1)) * (W - L - R);
  const py = (v) => H - B - ((v - y0) / (y1 - y0)) * (H - T - B);
  for (let k = 0; k <= 4; k++) {
    const v = y0 + (k * (y1 - y0)) / 4, xv = x0 + (k * (x1 - x0)) / 4;
    svg.append(el("svg:line", { x1: L, x2: W - R, y1: py(v), y2: py(v), stroke: "#e3e7ee" }));
    svg.append(el("svg:text", { x: L - 4, y: py(v) + 4, "text-anchor": "end", "font-size": 10, fill: "#5c667a" }, yText(v, Math.abs(y1 - y0))));
    svg.append(el("svg:text", { x: px(xv), y: xLabelY, "text-anchor": "middle", "font-size": 10, fill: "#5c667a" }, xText(xv)));
  }
  return { px, py };
}

function plot(title, unit, tAll, yAll) {
  const keep = tAll.map((v) => !timeWindow || (v >= timeWindow[0] && v <= timeWindow[1]));
  let t = tAll.filter((_, i) => keep[i]), y = yAll.filter((_, i) => keep[i]);
  if (t.length < 2) [t, y] = [tAll, yAll];
  const W = 400, H = 200, L = 52, R = 8, T = 8, B = 26;
  const box = el("div", { class: "plot" });
  box.append(el("div", {}, `${title}, ${unit}`));
  const t0 = t[0], t1 = t[t.length - 1];
  // Named for a screen reader by what the line shows: the quantity's span over the time shown.
  const digits = Math.max(...y) - Math.min(...y) < 10 ? 1 : 0;
  const svg = el("svg:svg", {
    viewBox: `0 0 ${W} ${H}`, "data-quantity": title, role: "img",
    "aria-label": `${title} over time, ${fmt(t0)} to ${fmt(t1)} s: from ${fmt(y[0], digits)} to ${fmt(y[y.length - 1], digits)} ${unit}, between ${fmt(Math.min(...y), digits)} and ${fmt(Math.max(...y), digits)}`,
  });
  const { px, py } = chartAxes(svg, [W, H, L, R, T, B], [t0, t1], [Math.min(...y), Math.max(...y)], H - 8,
    (tv) => `${fmt(tv)} s`, (v, span) => fmt(v, span < 10 ? 1 : 0));
  svg.append(el("svg:polyline", { points: t.map((v, i) => `${px(v).toFixed(1)},${py(y[i]).toFixed(1)}`).join(" "), fill: "none", stroke: "#1a5fb4", "stroke-width": 1.5, class: "series" }));
  const cursor = el("svg:line", { y1: T, y2: H - B, stroke: "#b3261e", visibility: "hidden" });
  svg.append(cursor);
  const readout = el("div", { class: "readout" });
  svg.addEventListener("mousemove", (ev) => {
    const r = svg.getBoundingClientRect();
    const x = ((ev.clientX - r.left) / r.width) * W;
    const tv = t0 + ((x - L) / (W - L - R)) * (t1 - t0);
    let i = 0;
    while (i < t.length - 1 && t[i] < tv) i++;
    cursor.setAttribute("x1", px(t[i]));
    cursor.setAttribute("x2", px(t[i]));
    cursor.setAttribute("visibility", "visible");
    readout.textContent = `t ${fmt(t[i], 1)} s: ${fmt(y[i], 2)} ${unit}`;
  });
  svg.addEventListener("mouseleave", () => cursor.setAttribute("visibility", "hidden"));
  // Drag across a plot to zoom every plot to that time span; double click for the whole flight.
  const timeAt = (ev) => {
    const r = svg.getBoundingClientRect();
    return t0 + ((((ev.clientX - r.left) / r.width) * W - L) / (W - L - R)) * (t1 - t0);
  };
  let dragFrom = null;
  svg.addEventListener("mousedown", (ev) => { dragFrom = timeAt(ev); ev.preventDefault(); });
  svg.addEventListener("mouseup", (ev) => {
    if (dragFrom === null) return;
    const to = timeAt(ev);
    if (Math.abs(to - dragFrom) > (t1 - t0) / 100) {
      timeWindow = [Math.min(dragFrom, to), Math.max(dragFrom, to)];
      drawPlots(lastTrajectory);
    }
    dragFrom = null;
  });
  svg.addEventListener("dblclick", () => { timeWindow = null; drawPlots(lastTrajectory); });
  box.append(svg, readout);
  return box;
}

function drawPlots(tr) {
  lastTrajectory = tr;
  const t = tr.time_s;
  $("plots").replaceChildren(
    plot("altitude", "km", t, tr.altitude_m.map((v) => v / 1e3)),
    plot("speed (inertial)", "m/s", t, tr.speed_m_s),
    plot("dynamic pressure", "kPa", t, tr.dynamic_pressure_pa.map((v) => v / 1e3)),
    plot("axial acceleration", "g", t, tr.axial_accel_g),
    plot("mass", "t", t, tr.mass_kg.map((v) => v / 1e3)),
  );
  $("plots-card").hidden = false;
}

// ---- the mission ----

// The request members of the mission inputs; `zones`: with the designated drop zones (payload
// and drop zones; a flight has none); `namedOrbit`: a named orbit gives the perigee, apogee and
// inclination (withNamedOrbit), so those fields are neither read nor sent.
function missionBody(zones = true, namedOrbit = false) {
  const body = { site: $("site").value, southbound: $("southbound").checked };
  if (!namedOrbit) {
    body.perigee_km = numberField("perigee-km", { required: true, empty: "empty: give the perigee altitude (200 for a low orbit)" });
    const apogee = numberField("apogee-km"), inclination = numberField("inclination-deg");
    if (apogee !== undefined) body.apogee_km = apogee;
    if (inclination !== undefined) body.inclination_deg = inclination;
  }
  const perigeeArgument = numberField("argument-of-perigee-deg");
  if (perigeeArgument !== undefined) body.argument_of_perigee_deg = perigeeArgument;
  if (zones && $("drop-zones").value) body.drop_zones = $("drop-zones").value;
  if ($("launch-utc").value.trim()) body.launch_utc = $("launch-utc").value.trim();
  if ($("use-file").checked) body.vehicle_toml = $("vehicle-toml").value;
  else body.vehicle = $("vehicle").value;
  return body;
}

// The input of the form each request member comes from: an error naming the member marks it
// and calls it by the input's label.
const FIELD_INPUTS = {
  vehicle: "vehicle", site: "site", perigee_km: "perigee-km", apogee_km: "apogee-km", inclination_deg: "inclination-deg",
  argument_of_perigee_deg: "argument-of-perigee-deg",
  drop_zones: "drop-zones", launch_utc: "launch-utc", payload_kg: "fly-payload-kg", pitch_kick_deg: "pitch-kick-deg",
  orbit: "fly-orbit", samples: "samples",
  vehicles: "vehicle", sites: "site", altitudes_km: "sweep-altitudes", inclinations_deg: "sweep-inclinations", vary: "sweep-vary",
};

// The API's message as the page words it: the field is named by its label in front, so the
// request member the API names the input by (`invalid oxidizer: `) goes, and so do the
// JSON reader's position and type names (`expected f64 at line 1 column 42`), which mean
// nothing to someone filling a form.
function apiMessage(message) {
  return plainTypes(message
    .replace(/^invalid (?:--)?[a-z_-]+(?: [a-z0-9-]+)?: /, "")
    .replace(/^invalid request body: /, "")
    .replace(/ at line \d+ column \d+$/, ""));
}

// The kinds of value a reader expected, in words instead of type names.
function plainTypes(message) {
  return message
    .replace(/\bexpected f(32|64)\b/g, "expected a number")
    .replace(/\bexpected [ui](size|8|16|32|64)\b/g, "expected a whole number, 0 or more");
}

// An error in the error box: a field found wrong on the page, or the API's error naming the
// request member at fault; either names the field by its label and marks it. The page stays
// usable.
function showError(e) {
  let input, name;
  if (e instanceof FieldError) {
    input = e.input;
    name = fieldLabel(input);
  } else {
    const d = e.api || {};
    if (d.file === "vehicle_toml") showEditorError(d);
    const member = d.field && d.field.replace(/\[\d+\]$/, "");
    input = member && FIELD_INPUTS[member] && $(FIELD_INPUTS[member]);
    name = input ? fieldLabel(input) : d.field;
  }
  $("error").textContent = (name ? `${name}: ` : "") + (e instanceof FieldError ? e.message : apiMessage(e.message));
  $("error").hidden = false;
  if (input) {
    input.setAttribute("aria-invalid", "true");
    $("error").dataset.field = input.id;
  } else delete $("error").dataset.field;
}

function clearError() {
  $("error").hidden = true;
  delete $("error").dataset.field;
  for (const input of document.querySelectorAll("#inputs [aria-invalid], #sweep-card [aria-invalid]")) input.removeAttribute("aria-invalid");
}

// ---- which run each card shows ----

// The cards a mission run (payload, flight, drop zones) fills. Each says which run it shows;
// one left from an earlier run while another runs, or after another failed, says so.
const RUN_CARDS = ["answer", "plots-card", "events-card", "map-card", "dropzones-card", "downloads-card"];

// A run starts: the cards still show the earlier one.
function markRunCardsEarlier() {
  for (const id of RUN_CARDS) {
    const card = $(id);
    if (!card.dataset.run) continue;
    card.dataset.stale = "true";
    card.querySelector(".run-of").textContent = `from an earlier run: ${card.dataset.run}`;
  }
}

// A run answered: `ids` now show it (`what`, in words); the others stay marked as earlier.
function claimRunCards(what, ids) {
  for (const id of ids) {
    const card = $(id);
    card.dataset.run = what;
    delete card.dataset.stale;
    card.querySelector(".run-of").textContent = what;
  }
}

// A named orbit (the select) as `fly --orbit NAME` and `dropzones --orbit NAME` take it: its
// elements replace the perigee, apogee and inclination of the form, and the payload for a flight
// is flown when given (empty: the largest). Returns the name, or "" when none is chosen.
function withNamedOrbit(body) {
  const name = $("fly-orbit").value;
  if (!name) return "";
  body.orbit = name;
  delete body.perigee_km;
  delete body.apogee_km;
  delete body.inclination_deg;
  const payload = numberField("fly-payload-kg");
  if (payload !== undefined) body.payload_kg = payload;
  else delete body.payload_kg;
  return name;
}

// Choosing a named orbit while the payload for a flight still holds the page's default (5 t, a
// low-orbit figure that most vehicles cannot carry to GSO) clears it, so the mission flies the
// largest payload; going back to the orbit above restores the default if the field was left
// empty. A payload the user typed is kept either way.
function namedOrbitPayload() {
  const field = $("fly-payload-kg");
  if ($("fly-orbit").value && field.value === field.defaultValue) field.value = "";
  else if (!$("fly-orbit").value && field.value === "") field.value = field.defaultValue;
  showDropzonesScope();
}

// What "Drop zones" computes, said under the button.
function showDropzonesScope() {
  const name = $("fly-orbit").value;
  const field = $("fly-payload-kg");
  const payload = field.value.trim() === "" || !field.validity.valid ? undefined : Number(field.value);
  $("dropzones-scope").textContent = name
    ? `drop zones of the whole mission to ${name}, ${payload === undefined ? "at the largest payload" : `payload ${fmt(payload)} kg`}`
    : "drop zones of the ascent to the orbit above, at the largest payload";
}

// A body left in orbit, as the report's `orbit` gives it: "in orbit 180 × 200 km at 63.00°,
// est. lifetime 2.1 d (static USSA76)", as the command line says it.
function bodyOrbitWords(o) {
  if (!o) return "in orbit";
  if (o.apogee_km === undefined || o.apogee_km === null) return `escaping, perigee ${fmt(o.perigee_km)} km at ${fmt(o.inclination_deg, 2)}°: never comes down`;
  const d = o.lifetime_days;
  const life = o.lifetime_capped ? `more than ${Math.floor(d / 365.25)} years`
    : d < 60 ? `${fmt(d, 1)} d` : d < 730 ? `${fmt(d)} d` : `${fmt(d / 365.25, 1)} years`;
  return `in orbit ${fmt(o.perigee_km)} × ${fmt(o.apogee_km)} km at ${fmt(o.inclination_deg, 2)}°, est. lifetime ${life} (static USSA76)`;
}

// An orbit in words: "200 × 35,786 km at 51.90°".
function orbitWords(o) {
  if (!o) return "–";
  return `${fmt(o.perigee_km)} × ${fmt(o.apogee_km)} km at ${fmt(o.inclination_deg, 2)}°`;
}

// The drop zones of `r`; `trajectory`: the ascent they fall from (through a parking orbit, the
// whole mission's flight), drawn on the map; `orbitName`: the named orbit asked for ("" for none).
function showDropzones(r, trajectory, orbitName) {
  lastFootprints = r.bodies;
  const bodies = r.bodies || [];
  const down = bodies.filter((b) => b.nominal_impact);
  const up = bodies.filter((b) => !b.nominal_impact);
  const table = $("dropzone-table");
  table.replaceChildren();
  const head = el("tr");
  for (const h of ["body", "nominal impact", "downrange km", "falls down", "ellipse km", "orientation °"]) head.append(el("th", {}, h));
  table.append(head);
  for (const b of bodies) {
    const comesDown = Boolean(b.nominal_impact);
    // A drop zone only for a body that comes down (see the map).
    const f = comesDown ? b.footprint : null;
    const tr = el("tr", { "data-body": b.name, "data-down": String(comesDown) });
    for (const c of [
      b.name,
      comesDown ? `${fmt(b.nominal_impact.latitude_deg, 3)}° N ${fmt(b.nominal_impact.longitude_deg, 3)}° E` : `stays up (${bodyOrbitWords(b.orbit)})`,
      comesDown ? fmt(b.nominal_impact.downrange_km) : "–",
      `${b.samples_down} of ${b.samples_down + b.samples_not_down}`,
      f ? `${fmt(f.semi_major_km, 1)} × ${fmt(f.semi_minor_km, 1)}${f.incomplete ? " (incomplete: some falls stay up)" : ""}` : comesDown ? "– (too few falls)" : "none: stays up",
      f ? fmt(f.orientation_deg, 1) : "–",
    ]) tr.append(el("td", {}, c));
    table.append(tr);
  }
  // The bodies left up: why they have no drop zone, their orbit and lifetime, and what their few
  // dispersed falls mean.
  const strays = up.filter((b) => b.samples_down > 0);
  const note = $("dropzone-up-note");
  note.hidden = up.length === 0;
  note.textContent = up.length === 0 ? "" : `Stays up, no drop zone: each re-enters later, uncontrolled, anywhere under its track. ${up.map((b) => `${b.name}: ${bodyOrbitWords(b.orbit)}`).join("; ")}.`
    + (strays.length ? ` ${strays.map((b) => `${b.name}: ${b.samples_down} of ${b.samples_down + b.samples_not_down}`).join(", ")} dispersed falls re-entered within the fall's time limit anywhere along the orbit, which is no drop zone.` : "")
    + " The lifetime is that of a static standard atmosphere: the real one varies several times with solar activity.";
  // The mission through a parking orbit the bodies fall from.
  const t = r.transfer;
  $("dropzone-mission").hidden = !t;
  if (t) {
    $("dropzone-mission-title").textContent = `The mission to ${t.target} through a parking orbit`;
    // [data-row name, label, value]; the offload only when the stage was offloaded.
    const named = [
      ["target", "target", `${t.target}${r.target ? `: ${orbitWords(r.target)}` : ""}`],
      ["parking", "parking orbit (the ascent's)", orbitWords(t.parking)],
      t.escape
        ? ["reached", "reached at the last cutoff", `escape: C3 ${fmt(t.escape.c3_km2_s2, 3)} km²/s² (asked ${fmt(t.escape.target_c3_km2_s2, 3)}), perigee ${fmt(t.escape.perigee_km)} km, inclination ${fmt(t.escape.inclination_deg, 2)}°, asymptote declination ${fmt(t.escape.asymptote_declination_deg, 2)}°`]
        : ["reached", "orbit reached at the last cutoff", orbitWords(t.orbit) + (t.perigee_free ? " (perigee not targeted: left where the perigee burns put it)" : "")],
      ["payload", "payload", `${fmt(r.payload_kg)} kg (${r.ascent === "targeted" ? "given" : "the largest"})`],
      ["held-back", "propellant held back for the transfer", `${fmt(t.held_back_kg)} kg`],
      ...(t.upper_stage_load_kg !== undefined ? [["load", "upper stage offloaded to", `${fmt(t.upper_stage_load_kg)} kg of usable propellant (the load that carries the most)`]] : []),
      ["burns", "burns of the upper stage", fmt(t.upper_stage_burns)],
      ["cutoff", "last cutoff", `${fmt(t.mission_time_s / 3600, 2)} h after liftoff`],
      ["down", "come down", down.map((b) => b.name).join(", ") || "none"],
      ["up", "stay up (in orbit, no impact)", up.map((b) => b.name).join(", ") || "none"],
    ];
    if (r.designated_zones && !r.designated_zones.ascent_shaped) named.push(["zones", "designated zones", "checked, not shaped to (the transfer optimizer takes no zones)"]);
    fillTable($("transfer-table"), null, named.map(([, label, value]) => [label, value]));
    $("transfer-table").querySelectorAll("tr").forEach((tr, i) => tr.setAttribute("data-row", named[i][0]));
  }
  // What the ascent does not hold of the named orbit (its argument of perigee, flown directly).
  const notes = r.notes || [];
  $("dropzone-notes").hidden = notes.length === 0;
  $("dropzone-notes").textContent = notes.map((n) => `Note: ${n}.`).join(" ");
  $("dropzones-card").dataset.orbit = orbitName || "";
  $("dropzones-card").hidden = false;
  const impacts = bodies.map((b) => ({ name: b.name, impact: b.nominal_impact }));
  drawMap(trajectory || lastTrack, trajectory ? impacts : lastImpacts || impacts);
}

// A job's progress: the flights of the ascent, then the dispersed falls; a sweep's points.
function showJobProgress(s) {
  const bar = $("job-progress");
  if (s.kind === "sweep" && s.total > 0) {
    bar.max = s.total;
    bar.value = s.done;
    $("job-status").textContent = `points: ${fmt(s.done)} of ${fmt(s.total)}, ${count(s.flights, "flight", "flights")}`;
  } else if (s.state === "falls" || (s.total > 0 && s.state !== "ascent")) {
    bar.max = s.total;
    bar.value = s.done;
    $("job-status").textContent = `falls: ${fmt(s.done)} of ${fmt(s.total)} (${fmt((100 * s.done) / s.total)} %)`;
  } else if (s.state === "ascent") {
    bar.removeAttribute("value");
    $("job-status").textContent = `flying the ascent: ${count(s.flights, "flight", "flights")}`;
  } else if (s.state === "queued") {
    $("job-status").textContent = "waiting for a free core…";
  }
}

// Start a job and follow it to its end: its progress streams in as server-sent events into the
// job bar, whose Cancel button stops it on the server. Resolves with the job's last state.
async function followJob(path, body) {
  const job = await api("POST", path, body);
  currentJob = job.id;
  delete $("job").dataset.state;
  $("job-progress").max = 1;
  $("job-progress").value = 0;
  $("job").hidden = false;
  $("cancel-job").disabled = false;
  showJobProgress(job);
  const end = await new Promise((resolve, reject) => {
    const events = new EventSource(`/api/jobs/${encodeURIComponent(job.id)}/events`);
    events.addEventListener("progress", (ev) => showJobProgress(JSON.parse(ev.data)));
    events.addEventListener("end", (ev) => { events.close(); resolve(JSON.parse(ev.data)); });
    events.onerror = () => { events.close(); reject(new Error("the connection to the server was lost")); };
  });
  showJobProgress(end);
  $("job").dataset.state = end.state;
  return end;
}

// One job at a time: the job bar and its Cancel follow one job, so while it runs the buttons
// that start a job are held, saying which job they wait for. `what`: the running job's name, or
// null when none runs.
let jobRunning = null;
function holdJobButtons(what) {
  jobRunning = what;
  for (const b of document.querySelectorAll("button.starts-job")) b.disabled = Boolean(what);
  for (const note of document.querySelectorAll(".job-busy")) {
    note.hidden = !what;
    note.textContent = what ? `${what} is running: one job at a time, the next starts once it ends or is cancelled (above)` : "";
  }
}

// A job started from a card's button (`name`, as the button reads), the other job buttons held
// while it runs, the job bar ending as done, cancelled (`unit`: [one, many] of what its progress
// counts) or failed (the API's error in the error box). `body()` gives the request (inside the
// try, so that a field refused there is shown too, and nothing is sent); `done(end, body,
// seconds)` shows the answer.
async function runJob(name, path, unit, body, done) {
  if (jobRunning) return;
  clearError();
  $("status").textContent = "";
  holdJobButtons(name);
  // The previous job's bar and state do not belong to this request (refused before a job starts).
  $("job").hidden = true;
  const started = performance.now();
  try {
    const request = body();
    const end = await followJob(path, request);
    if (end.state === "done") {
      $("job-status").textContent = `${name} done: ${count(end.done, ...unit)}`;
      done(end, request, (performance.now() - started) / 1e3);
    } else if (end.state === "cancelled") {
      $("job-status").textContent = `${name} cancelled after ${fmt(end.done)} of ${count(end.total, ...unit)}`;
    } else {
      $("job-status").textContent = `${name} failed`;
      throw Object.assign(new Error(end.error.error), { api: end.error, status: end.status });
    }
  } catch (e) {
    showError(e);
  } finally {
    currentJob = null;
    $("cancel-job").disabled = true;
    holdJobButtons(null);
  }
}

// Most dispersed falls per body the server runs.
const MAX_SAMPLES = 100000;

function runDropzones() {
  let orbitName;
  return runJob("Drop zones", "/api/jobs/dropzones", ["fall", "falls"], () => {
    // Without a named orbit, the optimized ascent to the orbit of the form (shaped to the
    // designated zones); with one, the whole mission (`dropzones --orbit NAME [--payload-kg M]`).
    const named = Boolean($("fly-orbit").value);
    const samples = numberField("samples", { required: true, empty: "empty: give the number of falls per body (200 is a quick look)", whole: true, min: 1, max: MAX_SAMPLES });
    const body = { ...missionBody(true, named), samples };
    orbitName = withNamedOrbit(body);
    markRunCardsEarlier();
    return body;
  }, (end, _body, seconds) => {
    const r = end.result.report;
    showDropzones(r, end.result.trajectory, orbitName);
    const mission = r.transfer ? `, the mission to ${r.transfer.target} through a ${orbitWords(r.transfer.parking)} parking orbit` : "";
    $("status").textContent = `${r.vehicle}${mission}: ${count(r.samples, "fall", "falls")} per body in ${fmt(seconds, 1)} s`;
    showSite(r.site);
    // The drop zones fall from their own ascent: the payload it carried is the report's.
    const ascent = r.ascent === "optimized" ? "the largest-payload ascent" : "the ascent with the payload given";
    const to = r.transfer ? `the mission to ${r.transfer.target}` : r.target ? orbitWords(r.target) : "its orbit";
    claimRunCards(`Drop zones: ${r.vehicle} from ${r.site} to ${to}, ${ascent}: ${fmt(r.payload_kg)} kg, ${count(r.samples, "fall", "falls")} per body`,
      ["map-card", "dropzones-card", "downloads-card"]);
    showDownloads(end.result.run);
  });
}

// The payload over altitudes and inclinations for the chosen vehicle and site, as a sweep job.
function runSweep() {
  // The vehicle the other runs fly: the editor's file when "use file" is on.
  const fromFile = $("use-file").checked;
  const vary = $("sweep-vary").value.trim();
  return runJob("Payload chart", "/api/jobs/sweep", ["point", "points"], () => {
    const altitudes = numberListField("sweep-altitudes");
    if (!altitudes.length) throw new FieldError($("sweep-altitudes"), "empty: give altitudes (200, 400 or 200:1000:100)");
    return {
      ...(fromFile ? { vehicle_toml: $("vehicle-toml").value } : { vehicles: [$("vehicle").value] }),
      sites: [$("site").value],
      altitudes_km: altitudes,
      inclinations_deg: numberListField("sweep-inclinations", ["sso"]),
      southbound: $("southbound").checked,
      ...(vary ? { vary } : {}),
    };
  }, (end, body, seconds) => {
    showSweep(end.result);
    const ok = end.result.report.points.filter((p) => p.status === "ok").length;
    $("status").textContent = `${fromFile ? "the editor's file" : body.vehicles[0]} from ${body.sites[0]}: ${ok} of ${count(end.total, "point", "points")} reached in ${fmt(seconds, 1)} s`;
  });
}

// The sweep's chart (the server's SVG, shown as an image), its table and its files.
function showSweep(result) {
  const blobUrl = (text, type) => URL.createObjectURL(new Blob([text], { type }));
  for (const [e, attr] of [[$("sweep-chart"), "src"], [$("sweep-csv"), "href"], [$("sweep-json"), "href"]]) {
    const old = e.getAttribute(attr);
    if (old && old.startsWith("blob:")) URL.revokeObjectURL(old);
  }
  const chart = $("sweep-chart");
  chart.hidden = !result.chart_svg;
  if (result.chart_svg) chart.src = blobUrl(result.chart_svg, "image/svg+xml");
  else chart.removeAttribute("src");
  const rows = result.report.points.map((p) => {
    const notes = [];
    if (p.profile === "elliptic") notes.push("elliptic profile");
    if (p.upper_stage_load_kg !== null) notes.push(`upper stage loaded with ${fmt(p.upper_stage_load_kg)} kg`);
    if (p.orbit_payload_kg) notes.push(`held by the liftoff limit, the orbit alone ${fmt(p.orbit_payload_kg)} kg`);
    else if (p.liftoff_limited) notes.push("held by the liftoff limit, the search targeting no heavier");
    const status = p.status !== "ok" ? `unreachable: ${p.message}` : notes.length ? `ok: ${notes.join(", ")}` : "ok";
    const inclination = p.sun_synchronous ? `${fmt(p.inclination_deg, 2)} sso` : fmt(p.inclination_deg, 2);
    const cells = [p.pad || p.site, fmt(p.altitude_km), inclination, fmt(p.payload_kg), fmt(p.launch_azimuth_deg, 2), status];
    // A swept file parameter: its value first.
    return result.report.parameter ? [String(p.parameter_value), ...cells] : cells;
  });
  const header = ["pad", "altitude, km", "inclination, °", "payload, kg", "azimuth, °", "status"];
  fillTable($("sweep-table"), result.report.parameter ? [result.report.parameter, ...header] : header, rows);
  $("sweep-csv").href = blobUrl(result.csv, "text/csv");
  $("sweep-json").href = blobUrl(JSON.stringify(result.report, null, 2) + "\n", "application/json");
  $("sweep-answer").hidden = false;
}

async function cancelJob() {
  if (!currentJob) return;
  $("cancel-job").disabled = true;
  $("job-status").textContent = "cancelling…";
  await api("DELETE", `/api/jobs/${encodeURIComponent(currentJob)}`).catch(showError);
}

// Download buttons for every file of a run (the files are made on the server on first request).
async function showDownloads(run) {
  const box = $("downloads");
  box.replaceChildren(el("span", { class: "note" }, "preparing the files…"));
  $("downloads-card").hidden = false;
  try {
    const listing = await api("GET", run.href);
    box.replaceChildren(...listing.files.map((f) => {
      const kb = f.size_bytes < 1024 ? `${f.size_bytes} B` : `${fmt(f.size_bytes / 1024, f.size_bytes < 10240 ? 1 : 0)} kB`;
      const a = el("a", { href: f.href, download: f.name, class: "download", "data-name": f.name }, `${f.name} (${kb})`);
      return a;
    }));
  } catch (e) {
    box.replaceChildren();
    showError(e);
  }
}

// The answer of a payload or a flight: the figure, the orbit, the Δv budget, the events, the
// plots and the map.
function showAnswer(title, payloadKg, outcome, target, orbit, b, extraRows, events, trajectory, impacts) {
  $("answer-title").textContent = title;
  $("payload-kg").textContent = fmt(payloadKg);
  $("outcome").textContent = outcome;
  const rows = [];
  // The argument of perigee of an eccentric orbit reached, and of a target that holds one (absent
  // from a nearly circular orbit and from a target that leaves it free).
  const perigee = (o) => (o.argument_of_perigee_deg === undefined || o.argument_of_perigee_deg === null ? "–" : fmt(o.argument_of_perigee_deg, 2));
  if (target) rows.push(["target", fmt(target.perigee_km, 1), fmt(target.apogee_km, 1), fmt(target.inclination_deg, 2), perigee(target)]);
  if (orbit) rows.push(["achieved", fmt(orbit.perigee_km, 1), fmt(orbit.apogee_km, 1), fmt(orbit.inclination_deg, 3), perigee(orbit)]);
  fillTable($("orbit-table"), ["", "perigee km", "apogee km", "inclination °", "argument of perigee °"], rows);
  fillTable($("budget-table"), null, [
    ["ideal Δv", `${fmt(b.ideal_delta_v_m_s)} m/s`],
    ["gravity loss", `${fmt(b.gravity_loss_m_s)} m/s`],
    ["drag loss", `${fmt(b.drag_loss_m_s)} m/s`],
    ["steering loss", `${fmt(b.steering_loss_m_s)} m/s`],
    ["thrust (back-pressure) loss", `${fmt(b.thrust_loss_m_s)} m/s`],
    ...(b.coast_exchange_m_s ? [["coast exchange (speed traded for height)", `${fmt(b.coast_exchange_m_s)} m/s`]] : []),
    ["Earth rotation", `${fmt(b.earth_rotation_m_s)} m/s`],
    ["final inertial speed", `${fmt(b.final_inertial_speed_m_s)} m/s`],
    ...extraRows,
  ]);
  $("answer").hidden = false;
  fillTable($("event-table"), ["t s", "event", "altitude km", "speed m/s", "mass t", "q kPa"],
    events.map((e) => [fmt(e.time_s, 1), e.description, fmt(e.altitude_m / 1e3, 1), fmt(e.speed_m_s), fmt(e.mass_kg / 1e3, 2), fmt(e.dynamic_pressure_pa / 1e3, 1)]));
  $("events-card").hidden = false;
  timeWindow = null;
  lastFootprints = null;
  // The drop zones of an earlier run do not belong to this ascent.
  $("dropzones-card").hidden = true;
  delete $("dropzones-card").dataset.run;
  drawPlots(trajectory);
  drawMap(trajectory, impacts);
}

async function runFly() {
  clearError();
  $("status").textContent = "targeting the ascent…";
  $("run-fly").disabled = true;
  const started = performance.now();
  try {
    const named = Boolean($("fly-orbit").value);
    const body = missionBody(false, named);
    // Without a named orbit a flight needs its payload (as `fly` and the Python package do);
    // with one, empty flies the largest.
    if (!named) body.payload_kg = numberField("fly-payload-kg", { required: true, empty: "payload is required without a named orbit" });
    if (withNamedOrbit(body)) {
      // The whole mission to a named orbit, with its default elements; no payload: the largest.
      $("status").textContent = "flying the mission…";
    } else if ($("open-loop").checked) {
      body.open_loop = true;
      delete body.apogee_km;
      const kick = numberField("pitch-kick-deg");
      if (kick !== undefined) body.pitch_kick_deg = kick;
    }
    markRunCardsEarlier();
    const { report: r, trajectory, run, transfer, notes } = await api("POST", "/api/fly?trajectory=true&files=true", body);
    const o = r.final.orbit || {};
    const target = body.open_loop || body.orbit || r.launch.target_inclination_deg === null || r.launch.target_inclination_deg === undefined ? null
      : {
        perigee_km: body.perigee_km, apogee_km: body.apogee_km ?? body.perigee_km, inclination_deg: r.launch.target_inclination_deg,
        argument_of_perigee_deg: body.argument_of_perigee_deg,
      };
    const title = body.orbit ? `Mission to ${body.orbit}${transfer ? ` through a ${fmt(transfer.parking.perigee_km)} km parking orbit` : ""}`
      : body.open_loop ? "Flight with payload (open loop)" : "Flight with payload";
    showAnswer(title, r.payload_kg, r.outcome, target, o.perigee_km === undefined ? null : o,
      r.loss_budget,
      [["launch azimuth", `${fmt(r.launch.azimuth_deg, 2)}°`], ["max q", `${fmt(r.max_q_kpa, 1)} kPa`], ["max acceleration", `${fmt(r.max_accel_g, 2)} g`],
        ...(notes || []).map((n) => ["note", n])],
      r.events, trajectory, null);
    showTradeFactors(undefined);
    $("status").textContent = `${r.vehicle} from ${r.site}: flown in ${fmt((performance.now() - started) / 1e3, 1)} s`;
    showSite(r.site);
    const largest = body.orbit && body.payload_kg === undefined ? "the largest payload, " : "";
    claimRunCards(`${title}: ${r.vehicle} from ${r.site}, ${largest}${fmt(r.payload_kg)} kg`, ["answer", "plots-card", "events-card", "map-card", "downloads-card"]);
    showDownloads(run);
  } catch (e) {
    $("status").textContent = "";
    showError(e);
  } finally {
    $("run-fly").disabled = false;
  }
}

// The payload trade factors of a report (`trade_factors`), or none: a row per stage figure and
// the fairing, the payload per unit of it with its step; a row that could not be found says why.
function showTradeFactors(factors) {
  $("trade-answer").hidden = !factors;
  if (!factors) return;
  fillTable($("trade-table"), ["stage", "figure", "step", "payload per unit", "with the step down / up, kg"],
    factors.map((f) => [f.stage, f.item, `±${fmt(f.step, 1)}`,
      f.payload_per_unit === null || f.payload_per_unit === undefined ? (f.error || "–") : `${fmt(f.payload_per_unit, 4)} ${f.unit}`,
      f.payload_minus_kg === null || f.payload_minus_kg === undefined ? "–" : `${fmt(f.payload_minus_kg, 1)} / ${fmt(f.payload_plus_kg, 1)}`]));
}

async function runPayload() {
  clearError();
  $("status").textContent = "optimizing the ascent…";
  $("run-payload").disabled = true;
  const started = performance.now();
  try {
    const body = missionBody();
    markRunCardsEarlier();
    if ($("trade-factors").checked) {
      body.trade_factors = true;
      $("status").textContent = "optimizing the ascent and its trade factors…";
    }
    const { report: r, flight, trajectory, run } = await api("POST", "/api/payload?trajectory=true&files=true", body);
    const rows = [["launch azimuth", `${fmt(r.launch_azimuth_deg, 2)}°`], ["max q", `${fmt(r.max_q_kpa, 1)} kPa`], ["max acceleration", `${fmt(r.max_accel_g, 2)} g`]];
    // A dogleg: the upper stages' plane turned out of the air (an azimuth corridor, a plane below the latitude).
    if (r.dogleg_deg !== undefined) rows.push(["dogleg", `${fmt(r.dogleg_deg, 2)}°, the plane turned out of the air`]);
    if (r.upper_stage_load_kg !== undefined) rows.push(["upper stage offloaded to", `${fmt(r.upper_stage_load_kg)} kg`]);
    // The vehicle file's liftoff limit held the payload below what the orbit takes.
    const l = r.liftoff_limit;
    if (l) rows.push(["liftoff limit", `thrust-to-weight ≥ ${l.min_thrust_to_weight}: ` +
      (l.orbit_payload_kg !== undefined ? `the orbit alone would take ${fmt(l.orbit_payload_kg)} kg` : "the search targeted no heavier payload")]);
    // A last stage whose steering engine burns on: when the optimizer cut its main engines off.
    if (r.main_engine_cutoff_s !== undefined) rows.push(["main-engine cutoff", `${fmt(r.main_engine_cutoff_s, 1)} s, burn-on engines to the insertion`]);
    // A solid stage lit after a coast the file leaves to the ascent: the coast it chose.
    const c = r.chosen_coast;
    if (c) rows.push([`coast before ${c.stage}`, `${fmt(c.coast_s, 1)} s, chosen in ${fmt(c.min_s, 1)}–${fmt(c.max_s, 1)} s (ignition at ${fmt(c.ignition_time_s, 1)} s)`]);
    const e = r.elliptic_transfer;
    if (e) {
      // The elliptic profile: the ascent ends in an ellipse, the last stage coasts and circularizes
      // (or, under an eccentric target, raises the far side from the ellipse's apogee).
      const last = e.burns[e.burns.length - 1];
      const coast = e.coasts.reduce((sum, c) => sum + c.duration_s, 0);
      const h = e.cutoff_height_km;
      const cutoff = h > 0 ? `cut off ${fmt(h)} km up` : h < 0 ? `cut off ${fmt(-h)} km up, on the way down` : "cut off at the perigee";
      // A circular "ellipse": the mission went through a parking orbit, its burns raising it.
      const parking = e.ellipse.apogee_km - e.ellipse.perigee_km < 1;
      const raises = !parking && r.target.apogee_km - r.target.perigee_km >= 50;
      const start = parking ? `through a parking orbit: ${fmt(e.ellipse.perigee_km)} km, ${e.burns.length} burns` : `${raises ? "raising ellipse" : "elliptic"}: ${fmt(e.ellipse.perigee_km)} × ${fmt(e.ellipse.apogee_km)} km, ${cutoff}`;
      rows.push(["profile", `${start}, coast ${fmt(coast / 60, 1)} min, ${raises ? "raise" : "circularization"} ${fmt(last.delta_v_m_s)} m/s`]);
    }
    showAnswer("Largest payload", r.payload_kg, "", r.target, r.orbit, r.loss_budget, rows, flight.events, trajectory, r.stages);
    showTradeFactors(r.trade_factors);
    $("status").textContent = `${r.vehicle} from ${r.site}: answered in ${fmt((performance.now() - started) / 1e3, 1)} s`;
    showSite(r.site);
    claimRunCards(`Largest payload: ${r.vehicle} from ${r.site} to ${orbitWords(r.target)}: ${fmt(r.payload_kg)} kg`,
      ["answer", "plots-card", "events-card", "map-card", "downloads-card"]);
    showDownloads(run);
  } catch (e) {
    $("status").textContent = "";
    showError(e);
  } finally {
    $("run-payload").disabled = false;
  }
}

// ---- the vehicle editor: errors at their line ----
// ---- validation (`cosmodrome validate`) ----

async function runValidate() {
  clearError();
  $("run-validate").disabled = true;
  $("status").textContent = "flying every published case…";
  try {
    const r = await api("GET", "/api/validate");
    const summary = (name, s) => `${name}: ${s.count} cases, median |error| ${fmt(s.median_abs_error_percent, 1)} %, worst ${fmt(s.worst_abs_error_percent, 1)} %`;
    $("validate-summary").textContent = `${summary("fully specified", r.fully_specified)} · ${summary("all", r.all)}`;
    const orbit = (c) => (c.perigee_km === c.apogee_km ? `${c.orbit} ${fmt(c.perigee_km)} km` : `${c.orbit} ${fmt(c.perigee_km)} × ${fmt(c.apogee_km)} km`);
    const signed = (e) => (e === null || e === undefined ? "–" : `${e > 0 ? "+" : ""}${fmt(e, 1)}`);
    fillTable($("validate-table"), ["vehicle", "site", "orbit", "incl °", "published kg", "predicted kg", "error %", "orbit given"],
      r.cases.map((c) => [c.vehicle, c.site, orbit(c), c.inclination_deg === null || c.inclination_deg === undefined ? "–" : fmt(c.inclination_deg, 1),
        `${fmt(c.published_kg)}${c.includes_last_stage ? "*" : ""}`, c.predicted_kg === null || c.predicted_kg === undefined ? "failed" : fmt(c.predicted_kg),
        signed(c.error_percent), c.orbit_published ? "published" : "assumed"]));
    fillTable($("validate-flights"), ["flight", "event", "quantity", "published", "predicted", "error %"],
      r.trajectories.map((t) => [t.flight, t.event, t.quantity, fmt(t.published, 2), fmt(t.predicted, 2), signed(t.error_percent)]));
    $("validate-answer").hidden = false;
    $("status").textContent = `validated ${r.cases.length} published cases and ${r.flights.length} flown flights`;
  } catch (e) {
    $("status").textContent = "";
    showError(e);
  } finally {
    $("run-validate").disabled = false;
  }
}

// ---- propellant performance (`cosmodrome propellant`) ----

// The request members of the propellant inputs, and the input each member comes from.
const PROPELLANT_INPUTS = {
  oxidizer: "prop-oxidizer", fuel: "prop-fuel", mixture_ratio: "prop-mixture-ratio", chamber_pressure_bar: "prop-chamber-bar",
  expansion_ratio: "prop-expansion-ratio", ambient_pressure_bar: "prop-ambient-bar",
};

function propellantBody() {
  const name = (id) => {
    const v = $(id).value.trim();
    if (v === "") throw new FieldError($(id), "empty: give a propellant name");
    return v;
  };
  const ratioInput = $("prop-mixture-ratio");
  const text = ratioInput.value.trim();
  if (text === "") throw new FieldError(ratioInput, "empty: give a ratio (2.6) or a sweep START:END:STEP (2.0:3.2:0.1)");
  // Read here as the command line reads it; one number goes as a number, a sweep as typed (the
  // API sweeps it).
  const ratios = numberListField("prop-mixture-ratio");
  if (!text.includes(":") && ratios.length !== 1) throw new FieldError(ratioInput, `${text}: one ratio, or a sweep START:END:STEP`);
  if (text.includes(":") && /[\s,]/.test(text)) throw new FieldError(ratioInput, `${text}: one sweep START:END:STEP, without a list`);
  const body = {
    oxidizer: name("prop-oxidizer"), fuel: name("prop-fuel"), mixture_ratio: text.includes(":") ? text : ratios[0],
    chamber_pressure_bar: numberField("prop-chamber-bar", { required: true, empty: "empty: give the chamber pressure (100 bar is typical)" }),
    expansion_ratio: numberField("prop-expansion-ratio", { required: true, empty: "empty: give the nozzle's exit-to-throat area ratio (40 is typical)" }),
    ambient_pressure_bar: numberField("prop-ambient-bar", { required: true, empty: "empty: give the ambient pressure (0 for vacuum, 1.01325 at sea level)" }),
  };
  if ($("prop-flow").value === "frozen") body.frozen = true;
  if ($("prop-flow").value === "frozen_at_throat") body.frozen_at_throat = true;
  return body;
}

// A line of y over x with its axes: a sweep's vacuum Isp over O/F, the best point marked.
function lineChart(xLabel, yLabel, xs, ys, markX) {
  const W = 720, H = 240, L = 56, R = 12, T = 10, B = 34;
  const best = ys.indexOf(Math.max(...ys));
  const svg = el("svg:svg", {
    viewBox: `0 0 ${W} ${H}`, role: "img",
    "aria-label": `${yLabel} over ${xLabel}, ${fmt(xs[0], 2)} to ${fmt(xs[xs.length - 1], 2)}: highest ${fmt(ys[best], 1)} at ${fmt(xs[best], 2)}`,
  });
  const { px, py } = chartAxes(svg, [W, H, L, R, T, B], [Math.min(...xs), Math.max(...xs)], [Math.min(...ys), Math.max(...ys)], H - 18,
    (xv) => fmt(xv, 2), (v) => fmt(v, 1));
  svg.append(el("svg:text", { x: (L + W - R) / 2, y: H - 4, "text-anchor": "middle", "font-size": 11 }, xLabel));
  svg.append(el("svg:text", { x: 4, y: T + 8, "font-size": 11 }, yLabel));
  svg.append(el("svg:polyline", { points: xs.map((v, i) => `${px(v).toFixed(1)},${py(ys[i]).toFixed(1)}`).join(" "), fill: "none", stroke: "#1a5fb4", "stroke-width": 1.5, class: "series" }));
  if (markX !== undefined) svg.append(el("svg:line", { x1: px(markX), x2: px(markX), y1: T, y2: H - B, stroke: "#b3261e", "stroke-dasharray": "4 3", class: "optimum" }));
  return svg;
}

async function runPropellant() {
  $("propellant-error").hidden = true;
  for (const input of document.querySelectorAll("#propellant-card [aria-invalid]")) input.removeAttribute("aria-invalid");
  $("run-propellant").disabled = true;
  // The answer shown is of the inputs before: dimmed while the new one is asked for, gone if it
  // is refused.
  $("propellant-answer").dataset.stale = "true";
  try {
    const r = await api("POST", "/api/propellant", propellantBody());
    const isp = (s) => (s === null || s === undefined ? "–" : fmt(s, 2));
    if (r.points) {
      const first = r.points[0];
      $("propellant-title").textContent = `${first.oxidizer} / ${first.fuel}, ${fmt(first.chamber_pressure_bar, 1)} bar, ${first.flow}: ` +
        (r.optimum_inside_sweep ? `optimum vacuum Isp ${fmt(r.optimum_isp_vac_s, 2)} s at O/F ${fmt(r.optimum_mixture_ratio_isp_vac, 3)}`
          : "the best vacuum Isp is at the end of the sweep: the optimum lies outside it");
      fillTable($("propellant-table"), ["O/F", "T chamber K", "c* m/s", "Isp vac s", "Isp amb s", "M g/mol", "γ", "p exit bar"],
        r.points.map((p) => [fmt(p.mixture_ratio, 3), fmt(p.chamber_temperature_k, 1), fmt(p.c_star_m_s, 1), isp(p.isp_vac_s),
          p.isp_amb_s === null || p.isp_amb_s === undefined ? "–" : `${isp(p.isp_amb_s)}${p.separation_likely ? " (sep.)" : ""}`,
          fmt(p.molar_mass_chamber_g_mol, 3), fmt(p.gamma_chamber, 4), fmt(p.exit_pressure_bar, 4)]));
      // The ratios whose equilibrium did not converge are left out of the table and the chart.
      if (r.failed && r.failed.length) {
        $("propellant-title").textContent += `; no equilibrium at O/F ${r.failed.map((f) => fmt(f.mixture_ratio, 3)).join(", ")} (left out: ${r.failed[0].reason})`;
      }
      const mark = r.optimum_inside_sweep ? r.optimum_mixture_ratio_isp_vac : undefined;
      $("propellant-chart").replaceChildren(lineChart("O/F (oxidizer-to-fuel mass ratio)", "vacuum Isp, s", r.points.map((p) => p.mixture_ratio), r.points.map((p) => p.isp_vac_s), mark));
    } else {
      $("propellant-title").textContent = `${r.oxidizer} / ${r.fuel}, O/F ${fmt(r.mixture_ratio, 3)}, ${fmt(r.chamber_pressure_bar, 1)} bar, ${r.flow}`;
      fillTable($("propellant-table"), null, [
        ["chamber temperature", `${fmt(r.chamber_temperature_k, 1)} K`],
        ["characteristic velocity c*", `${fmt(r.c_star_m_s, 1)} m/s`],
        ["vacuum Isp", `${isp(r.isp_vac_s)} s (${fmt(r.isp_vac_m_s, 1)} m/s)`],
        ["ambient Isp", r.isp_amb_s === null || r.isp_amb_s === undefined ? "–" : `${isp(r.isp_amb_s)} s${r.separation_likely ? " (flow separation likely)" : ""}`],
        ["vacuum thrust coefficient", fmt(r.thrust_coefficient_vac, 4)],
        ["γ, molar mass in the chamber", `${fmt(r.gamma_chamber, 4)}, ${fmt(r.molar_mass_chamber_g_mol, 3)} g/mol`],
        ["exit pressure, temperature, Mach", `${fmt(r.exit_pressure_bar, 4)} bar, ${fmt(r.exit_temperature_k, 1)} K, ${fmt(r.exit_mach, 3)}`],
      ]);
      $("propellant-chart").replaceChildren();
    }
    $("propellant-answer").hidden = false;
    delete $("propellant-answer").dataset.stale;
  } catch (e) {
    $("propellant-answer").hidden = true;
    const d = e.api || {};
    const input = e instanceof FieldError ? e.input : d.field && PROPELLANT_INPUTS[d.field] && $(PROPELLANT_INPUTS[d.field]);
    const name = input ? fieldLabel(input) : d.field;
    $("propellant-error").textContent = (name ? `${name}: ` : "") + (e instanceof FieldError ? e.message : apiMessage(e.message));
    $("propellant-error").hidden = false;
    if (input) input.setAttribute("aria-invalid", "true");
  } finally {
    $("run-propellant").disabled = false;
  }
}

function renderGutter(badLine) {
  if (!badLine) $("inline-error").hidden = true;
  const n = $("vehicle-toml").value.split("\n").length;
  const g = $("gutter");
  g.replaceChildren();
  for (let i = 1; i <= n; i++) {
    const s = el("span", i === badLine ? { class: "bad", id: "bad-line" } : {}, String(i));
    g.append(s, "\n");
  }
  $("vehicle-toml").rows = Math.max(20, n);
}

function showEditorError(d) {
  renderGutter(d.line);
  const where = d.line ? `line ${d.line}` : "the file";
  $("editor-error").textContent = `${where}${d.key ? ` (${d.key})` : ""}: ${plainTypes(d.error)}`;
  $("editor-error").hidden = false;
  $("editor-ok").hidden = true;
  if (d.line) {
    // The message under its line, in the editor, and the line scrolled into view.
    const inline = $("inline-error");
    inline.textContent = `${d.key ? `${d.key}: ` : ""}${plainTypes(d.error).replace(/^vehicle_toml:\d+: (key `[^`]*`: )?/, "")}`;
    const ta = $("vehicle-toml");
    const lines = ta.value.split("\n");
    // On the line at fault, after its text: a line's own end is the one place the message hides
    // nothing of the file.
    const style = getComputedStyle(ta);
    const context = document.createElement("canvas").getContext("2d");
    context.font = `${style.fontSize} ${style.fontFamily}`;
    const textWidth = context.measureText((lines[d.line - 1] || "").replace(/\t/g, "        ")).width;
    inline.style.top = `${ta.offsetTop + parseFloat(style.paddingTop) + (d.line - 1) * 16}px`;
    inline.style.left = `${ta.offsetLeft + parseFloat(style.paddingLeft) + textWidth + 16}px`;
    inline.hidden = false;
    $("editor").scrollTop = Math.max(0, (d.line - 8) * 16);
    const start = lines.slice(0, d.line - 1).join("\n").length + (d.line > 1 ? 1 : 0);
    ta.setSelectionRange(start, start + (lines[d.line - 1] || "").length);
  }
}

async function checkFile() {
  $("editor-error").hidden = true;
  $("editor-ok").hidden = true;
  try {
    // The propulsion budget (`info`) reads and checks the whole file.
    const r = await api("POST", "/api/info", { vehicle_toml: $("vehicle-toml").value });
    renderGutter(null);
    $("editor-ok").textContent = `${r.vehicle}: the file reads without error; liftoff mass ${fmt(r.liftoff_mass_kg / 1e3, 1)} t, ideal Δv ${fmt(r.total_delta_v_m_s)} m/s`;
    $("editor-ok").hidden = false;
  } catch (e) {
    if (e.api && e.api.file === "vehicle_toml") showEditorError(e.api);
    else showError(e);
  }
}

async function loadFile() {
  $("vehicle-toml").value = await api("GET", `/api/vehicles/${encodeURIComponent($("vehicle").value)}/toml`);
  renderGutter(null);
  $("editor-error").hidden = true;
}

// A vehicle file from the disk, read as text in the browser (the server never sees a path),
// then checked.
async function uploadFile() {
  const file = $("upload-file").files[0];
  if (!file) return;
  $("editor-ok").hidden = true;
  const refuse = (why) => {
    renderGutter(null);
    $("editor-error").textContent = `${file.name}: ${why}`;
    $("editor-error").hidden = false;
  };
  if (file.size > 1 << 20) return refuse(`${fmt(file.size / 1024)} kB; a vehicle file is text of at most 1 MiB`);
  const text = await file.text();
  if (text.includes("\u0000") || text.includes("\ufffd")) return refuse("not a text file (UTF-8 TOML expected)");
  $("vehicle-toml").value = text;
  $("upload-file").value = "";
  await checkFile();
}

// The note on the site: the pad a run flew from (`padId`, the answer's), or before one the pad
// the server picks for the chosen vehicle: the cosmodrome's pad that serves its family, else its
// first (a vehicle file's family is not known here: the first).
function showSite(padId) {
  const pads = sites.filter((s) => s.cosmodrome === $("site").value);
  if (!pads.length) return;
  const family = $("use-file").checked ? null : (vehicles.find((v) => v.id === $("vehicle").value) || {}).family;
  const flown = padId && sites.find((s) => s.id === padId);
  const s = flown || pads.find((p) => family && p.families.includes(family)) || pads[0];
  const corr = [...s.azimuth_corridors_deg.map(([a, b]) => `az ${a}–${b}°`), ...s.inclination_ranges_deg.map(([a, b]) => `i ${a}–${b}°`)];
  const others = pads.length > 1 ? ` (one of ${pads.length} pads)` : "";
  $("site-info").dataset.pad = s.id;
  $("site-info").textContent = `${flown ? "flown from" : "pad"} ${s.id}, ${s.name}${others}: ${fmt(s.latitude_deg, 3)}° N ${fmt(s.longitude_deg, 3)}° E; corridors ${corr.join(", ") || "unrestricted"}; lowest inclination ${fmt(s.default_inclination_deg, 1)}°`;
}

// Enter in a field runs the action its form is for: the first button after the field in its
// card (Largest payload for the orbit, Fly for the flight's payload, Drop zones for the falls,
// Payload chart, Propellant), unless that button is held.
function enterRuns(ev) {
  const t = ev.target;
  if (ev.key !== "Enter" || ev.isComposing || !(t instanceof HTMLInputElement) || !["text", "number"].includes(t.type)) return;
  const card = t.closest(".card");
  const next = card && [...card.querySelectorAll("button")].find((b) => t.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING && !b.closest("#job"));
  if (!next) return;
  ev.preventDefault();
  if (!next.disabled) next.click();
}

async function init() {
  let s, coast, zones;
  [vehicles, s, coast, zones] = await Promise.all([
    api("GET", "/api/vehicles"), api("GET", "/api/sites"), api("GET", "/api/coastline"), api("GET", "/api/dropzone-sets"),
  ]);
  sites = s;
  coastline = coast;
  zoneSets = zones;
  for (const z of zoneSets) $("drop-zones").append(el("option", { value: z.id }, `${z.name} (${z.id})`));
  for (const v of vehicles) $("vehicle").append(el("option", { value: v.id }, `${v.name} (${v.id})`));
  const cosmodromes = [...new Set(sites.map((x) => x.cosmodrome))];
  for (const c of cosmodromes) $("site").append(el("option", { value: c }, c));
  if (cosmodromes.includes("vostochny")) $("site").value = "vostochny";
  showSite();
  drawMap(null, null);
  renderGutter(null);
  $("site").addEventListener("change", () => {
    showSite();
    drawMap(lastTrack, lastImpacts);
  });
  $("vehicle").addEventListener("change", () => showSite());
  $("use-file").addEventListener("change", () => showSite());
  document.addEventListener("keydown", enterRuns);
  $("run-payload").addEventListener("click", runPayload);
  $("run-dropzones").addEventListener("click", runDropzones);
  $("run-sweep").addEventListener("click", runSweep);
  $("run-fly").addEventListener("click", runFly);
  $("run-propellant").addEventListener("click", runPropellant);
  $("run-validate").addEventListener("click", runValidate);
  $("check-file").addEventListener("click", checkFile);
  $("upload-file").addEventListener("change", uploadFile);
  $("cancel-job").addEventListener("click", cancelJob);
  $("drop-zones").addEventListener("change", () => drawMap(lastTrack, lastImpacts));
  $("fly-orbit").addEventListener("change", namedOrbitPayload);
  $("fly-payload-kg").addEventListener("input", showDropzonesScope);
  showDropzonesScope();
  $("open-loop").addEventListener("change", () => { $("pitch-kick-label").hidden = !$("open-loop").checked; });
  $("load-file").addEventListener("click", loadFile);
  $("vehicle-toml").addEventListener("input", () => renderGutter(null));
  $("map").addEventListener("wheel", zoomMap, { passive: false });
  $("map").addEventListener("dblclick", () => setView(-180, -90, 360));
  document.body.dataset.ready = "true";
}

init().catch(showError);
