// Deconflict situational display. Plain JS, no build step; talks only to the server that served it.
//
// Organisation:
//   1. utilities (projection, geodesy, formatting)
//   2. state: aircraft (one Map, one canvas layer), conflicts, intents, stream cursor
//   3. API client: sign-in, traffic poll (viewport bbox), conflicts, intents (tiled by 10,000 km²)
//   4. event stream: WebSocket with ?access_token, resume with ?since=cursor, backoff, banner
//   5. map: MapLibre GL (WebGL) with a local style, or the 2D canvas fallback (own web mercator)
//   6. overlay: one <canvas> for every aircraft, leader line, trail, conflict line and label
//   7. panels: alerts sorted by urgency, intents at the slider time, selected aircraft
//   8. window.deconflictDisplay: what the browser tests read (counts, levels, timings)
'use strict';
(() => {
  // ---------------------------------------------------------------- 1. utilities
  const TOKEN_KEY = 'deconflict.token';
  const params = new URLSearchParams(location.search);
  const D2R = Math.PI / 180, R2D = 180 / Math.PI, EARTH_M = 6371008.8, NM = 1852;
  const TILE = 512;                      // MapLibre's world size at zoom 0, in CSS px
  const TRAIL_POINTS = 45;               // ≈ 45 s at one report a second (a ring of positions per aircraft)
  const FILL_CHUNK = 100, STROKE_CHUNK = 400;   // segments per canvas path (see draw())
  const STALE_S = 12;                    // an aircraft not reported for this long is drawn as stale
  const DROP_S = 60;                     // …and dropped (the server drops tracks after 60 s too)
  const TRAIL_LIMIT = params.has('trails') ? Infinity : 3000;  // trails are drawn up to this many targets in view
  const INTENT_TILE_KM2 = 9000;          // GET /v1/intents takes at most 10,000 km² per box
  const INTENT_MAX_TILES = 64;
  const INTENT_PARALLEL = 3;             // leave the browser's other connections to the traffic poll
  const INTENT_HORIZON_MIN = 720;        // the slider: now … +12 h
  const $ = (id) => document.getElementById(id);

  const clampLat = (lat) => Math.max(-85.0511, Math.min(85.0511, lat));
  function merc(lon, lat) {
    const s = Math.sin(clampLat(lat) * D2R);
    return [(lon + 180) / 360, 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)];
  }
  function unmerc(x, y) {
    return [x * 360 - 180, Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * R2D];
  }
  // The point distM metres from (lat, lon) on the great circle leaving at bearing brgDeg.
  function destination(lat, lon, brgDeg, distM) {
    const d = distM / EARTH_M, t = brgDeg * D2R, p1 = lat * D2R, l1 = lon * D2R;
    const p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(t));
    const l2 = l1 + Math.atan2(Math.sin(t) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
    return [((l2 * R2D + 540) % 360) - 180, p2 * R2D];
  }
  const pad2 = (n) => String(n).padStart(2, '0');
  const hhmmZ = (ms) => { const d = new Date(ms); return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}Z`; };
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  // Opaque ids are 26 characters: the first 10 tell them apart on screen; the full id is in the title.
  const shortId = (id) => (/^x-[0-9a-f]{24}$/.test(id) ? `${id.slice(0, 10)}…` : id);
  const fmtFt = (ft) => (ft >= 18000 ? `FL${Math.round(ft / 100)}` : `${Math.round(ft)} ft`);
  function fmtSecs(s) {
    if (s == null || !isFinite(s)) return '—';
    if (s <= 0) return 'now';
    return s < 120 ? `${Math.round(s)} s` : `${Math.floor(s / 60)} min ${pad2(Math.round(s % 60))} s`;
  }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  }
  function decodeJwt(token) {
    try {
      const p = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(atob(p + '==='.slice((p.length + 3) % 4)));
    } catch { return null; }
  }
  const cssVar = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  const rem = () => parseFloat(getComputedStyle(document.documentElement).fontSize) || 14;

  // ---------------------------------------------------------------- 2. state
  const S = {
    token: null,
    claims: null,
    party: null,
    mode: null,                    // 'webgl' | 'canvas'
    connection: 'idle',            // 'connecting' | 'open' | 'disconnected'
    cursor: null,                  // the newest stream cursor processed
    aircraft: new Map(),           // id → record (own and others', one map, drawn by one canvas)
    lastKnown: new Map(),          // id → {lon, lat, t}: where an aircraft was last seen, for centring
    trafficGen: 0, trackGen: 0,
    conflicts: new Map(),          // "own|intruder" → tactical ConflictView (+ receivedAt)
    strategic: [],                 // StrategicConflictView
    intents: new Map(),            // id → Intent
    intentNote: '',
    selected: null, hover: null,
    userMoved: false, fitted: false,
    stopped: false,
    errors: [],
  };
  const timers = new Set();
  const later = (fn, ms) => { const t = setTimeout(() => { timers.delete(t); fn(); }, ms); timers.add(t); return t; };

  // Recorders (read by the tests; ring buffers so they never grow).
  const REC = { frames: [], latencies: [], max: 20000, recording: false, pending: [] };
  function pushRing(arr, v) { arr.push(v); if (arr.length > REC.max) arr.splice(0, arr.length - REC.max); }
  const drawn = { own: 0, others: 0, total: 0, conflicts: [], frames: 0, at: 0 };
  // What the screen showed, for the tests: each change of the level drawn for a pair (−1: gone),
  // and the stream messages that matter, with their arrival times (epoch ms).
  const drawLog = [];
  const drawnLevel = new Map();  // "own|intruder" → level drawn in the last frame
  const messageLog = [];
  const LOG_MAX = 5000;
  function logPush(arr, v) { arr.push(v); if (arr.length > LOG_MAX) arr.splice(0, arr.length - LOG_MAX); }

  // ---------------------------------------------------------------- 3. API client
  class ApiError extends Error {
    constructor(status, problem) {
      super(problem && problem.detail ? problem.detail : `HTTP ${status}`);
      this.status = status; this.problem = problem;
    }
  }
  async function api(path, opts = {}) {
    const res = await fetch(path, {
      ...opts,
      headers: { Authorization: `Bearer ${S.token}`, Accept: 'application/json', ...(opts.headers || {}) },
      cache: 'no-store',
    });
    if (!res.ok) {
      let problem = null;
      try { problem = await res.json(); } catch { /* not JSON */ }
      throw new ApiError(res.status, problem);
    }
    return res;
  }
  function refused(err) {
    const detail = err.problem && err.problem.detail ? err.problem.detail : `HTTP ${err.status}`;
    if (err.status === 403) return { title: 'token refused: it lacks a scope this display needs (traffic.read)', detail };
    return { title: 'token refused: expired or invalid', detail };
  }

  // Sign-in: verify with GET /v1/traffic; the token goes to sessionStorage only.
  async function signIn(token, fromStorage) {
    const err = $('signin-error');
    err.hidden = true;
    $('signin-button').disabled = true;
    S.token = token;
    try {
      const t0 = performance.now();
      const res = await api('/v1/traffic');
      const body = await res.json();
      sessionStorage.setItem(TOKEN_KEY, token);
      S.claims = decodeJwt(token);
      S.party = S.claims && S.claims.sub ? String(S.claims.sub) : null;
      await start();
      applyTraffic(body, t0, S.trafficGen + 1);
    } catch (e) {
      S.token = null;
      sessionStorage.removeItem(TOKEN_KEY);
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
        const r = refused(e);
        showSignInError(r.title, r.detail);
      } else if (e instanceof ApiError) {
        showSignInError(`server error (HTTP ${e.status})`, e.message);
      } else if (!fromStorage || !(e instanceof TypeError)) {
        showSignInError('server unreachable', String(e && e.message ? e.message : e));
      } else {
        showSignInError('server unreachable', 'sign in again when it is back');
      }
    } finally {
      $('signin-button').disabled = false;
    }
  }
  function showSignInError(title, detail) {
    const el = $('signin-error');
    el.innerHTML = `<strong>${esc(title)}</strong>${detail ? esc(detail) : ''}`;
    el.hidden = false;
  }
  // A token that stops working mid-session (expired, revoked): stop everything and start the page
  // afresh at the sign-in panel, with the reason (kept in session storage across the reload only).
  const NOTICE_KEY = 'deconflict.refused';
  function sessionRefused(e) {
    if (S.stopped) return;
    S.stopped = true;
    for (const t of timers) clearTimeout(t);
    timers.clear();
    if (ws) { ws.onclose = null; ws.close(); ws = null; }
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.setItem(NOTICE_KEY, JSON.stringify(refused(e)));
    location.reload();
  }

  // Traffic: own aircraft and others' in the vicinity, only inside the viewport (bbox). One poll
  // loop, about once a second, one request in flight; pollTrafficNow() pulls the next one forward.
  let trafficInFlight = false, pollTimer = null, pollAgain = false, trafficOK = true;
  function pollTrafficNow() {
    if (S.stopped) return;
    if (trafficInFlight) { pollAgain = true; return; }
    if (pollTimer) { clearTimeout(pollTimer); timers.delete(pollTimer); pollTimer = null; }
    pollTraffic();
  }
  async function pollTraffic() {
    if (S.stopped) return;
    trafficInFlight = true;
    const started = performance.now();
    const gen = S.trafficGen + 1;
    try {
      const b = viewBBox();
      const res = await api(`/v1/traffic?bbox=${b.map((v) => v.toFixed(4)).join(',')}`);
      const t0 = performance.now();          // the response has arrived: latency counts from here
      const body = await res.json();
      applyTraffic(body, t0, gen);
      trafficOK = true;
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) { trafficInFlight = false; sessionRefused(e); return; }
      trafficOK = false;
    }
    trafficInFlight = false;
    if (S.stopped) return;
    const delay = pollAgain ? 0 : Math.max(50, 1000 - (performance.now() - started));
    pollAgain = false;
    pollTimer = later(() => { pollTimer = null; pollTraffic(); }, delay);
  }

  function upsert(v, src, gen, now) {
    let a = S.aircraft.get(v.id);
    if (!a) {
      a = { id: v.id, own: !!v.own, trail: null, tHead: 0, tLen: 0, time: -Infinity, trafficGen: 0, trackGen: 0 };
      S.aircraft.set(v.id, a);
    }
    if (src === 'traffic') a.trafficGen = gen; else a.trackGen = gen;
    if (v.time <= a.time) return;
    if (a.time > -Infinity && (a.mx !== undefined)) {
      if (!a.trail) a.trail = new Float64Array(2 * TRAIL_POINTS);
      const last = (a.tHead + TRAIL_POINTS - 1) % TRAIL_POINTS;
      if (a.tLen === 0 || a.trail[2 * last] !== a.mx || a.trail[2 * last + 1] !== a.my) {
        a.trail[2 * a.tHead] = a.mx; a.trail[2 * a.tHead + 1] = a.my;
        a.tHead = (a.tHead + 1) % TRAIL_POINTS;
        a.tLen = Math.min(TRAIL_POINTS, a.tLen + 1);
      }
    }
    a.freshAt = now;   // by this browser's clock: staleness is immune to clock skew
    a.own = !!v.own; a.time = v.time; a.lat = v.lat; a.lon = v.lon; a.alt = v.alt_ft; a.gs = v.gs_kt;
    a.trk = v.trk_deg; a.vs = v.vs_fpm;
    const m = merc(v.lon, v.lat); a.mx = m[0]; a.my = m[1];
    const e = destination(v.lat, v.lon, v.trk_deg, v.gs_kt * NM / 60);  // 60 s ahead at gs
    const me = merc(e[0], e[1]); a.lx = me[0]; a.ly = me[1];
    S.lastKnown.set(v.id, { lon: v.lon, lat: v.lat, t: now });
  }
  function applyTraffic(body, t0, gen) {
    if (!body || !Array.isArray(body.aircraft)) return;
    const now = Date.now();
    S.trafficGen = gen;
    for (const v of body.aircraft) upsert(v, 'traffic', gen, now);
    // Own aircraft: exactly the latest answer. Others: the latest answer or the latest track event.
    for (const [id, a] of S.aircraft) {
      if (a.trafficGen === gen) continue;
      if (a.own || a.trackGen !== S.trackGen) S.aircraft.delete(id);
    }
    pruneLastKnown(now);
    if (!S.fitted && !S.userMoved && body.aircraft.length > 0) fitToAircraft(body.aircraft);
    REC.pending.push(t0);
    invalidate();
  }
  function applyTracks(list, t0) {
    const now = Date.now();
    const gen = ++S.trackGen;
    for (const v of list) upsert({ ...v, own: false }, 'track', gen, now);
    for (const [id, a] of S.aircraft) {
      if (!a.own && a.trackGen !== gen && a.trafficGen !== S.trafficGen) S.aircraft.delete(id);
    }
    REC.pending.push(t0);
    invalidate();
  }
  // Nothing is kept on screen longer than the server keeps it (matters while the server is away).
  function dropOld() {
    const before = Date.now() - DROP_S * 1000;
    for (const [id, a] of S.aircraft) if (a.freshAt < before) S.aircraft.delete(id);
  }
  function pruneLastKnown(now) {
    if (S.lastKnown.size < 2 * S.aircraft.size + 1000) return;
    for (const [id, p] of S.lastKnown) if (now - p.t > 120000) S.lastKnown.delete(id);
  }

  // Conflicts: the full list on start, after every (re)connection and after a gap.
  let conflictsFetch = null, conflictBuffer = null;
  function fetchConflicts() {
    if (conflictsFetch) { conflictsFetch.again = true; return; }
    conflictBuffer = [];
    const job = { again: false };
    conflictsFetch = job;
    (async () => {
      try {
        const body = await (await api('/v1/conflicts')).json();
        const next = new Map();
        const strategic = [];
        for (const c of body.conflicts || []) {
          if (c.kind === 'strategic') strategic.push(c);
          else if (c.level > 0 || c.state !== 'resolved') next.set(`${c.own}|${c.intruder}`, { ...c, receivedAt: Date.now() });
        }
        S.conflicts = next;
        S.strategic = strategic;
        const during = conflictBuffer;
        conflictBuffer = null;
        for (const e of during) applyConflictEvent(e);           // events that came during the read win
        invalidate(); renderPanelsSoon();
      } catch (e) {
        if (e instanceof ApiError && (e.status === 401 || e.status === 403)) { sessionRefused(e); return; }
        later(fetchConflicts, 2000);
      } finally {
        conflictBuffer = null;
        conflictsFetch = null;
        if (job.again) fetchConflicts();
      }
    })();
  }
  function applyConflictEvent(e) {
    if (conflictBuffer) conflictBuffer.push(e);
    const key = `${e.own}|${e.intruder}`;
    if (e.state === 'resolved') S.conflicts.delete(key);
    else S.conflicts.set(key, { ...(S.conflicts.get(key) || {}), ...e, receivedAt: Date.now() });
    invalidate(); renderPanelsSoon();
  }

  // Intents: the viewport over now … +12 h, tiled in boxes under the API's 10,000 km² limit.
  function intentTiles(b) {
    const [w0, s, e0, n] = b;
    const boxes = [];
    const spans = w0 <= e0 ? [[w0, e0]] : [[w0, 180], [-180, e0]];
    for (const [w, e] of spans) {
      const areaOf = (lo, hi, la, lb) => (EARTH_M / 1000) ** 2 * ((hi - lo) * D2R) * Math.abs(Math.sin(lb * D2R) - Math.sin(la * D2R));
      const total = areaOf(w, e, s, n);
      const rows = Math.max(1, Math.ceil(Math.sqrt(total / INTENT_TILE_KM2)));
      for (let r = 0; r < rows; r++) {
        const la = s + (n - s) * r / rows, lb = s + (n - s) * (r + 1) / rows;
        const cols = Math.max(1, Math.ceil(areaOf(w, e, la, lb) / INTENT_TILE_KM2));
        for (let c = 0; c < cols; c++) boxes.push([w + (e - w) * c / cols, la, w + (e - w) * (c + 1) / cols, lb]);
        if (boxes.length > INTENT_MAX_TILES) return null;
      }
    }
    return boxes;
  }
  let intentsInFlight = false, intentsAgain = false;
  async function fetchIntents() {
    if (S.stopped) return;
    if (intentsInFlight) { intentsAgain = true; return; }
    intentsInFlight = true;
    try {
      const tiles = intentTiles(viewBBox());
      if (!tiles) {
        S.intentNote = 'Zoom in to refresh intents: the view is larger than the intent query allows (the list may be incomplete).';
      } else {
        const from = Date.now(), to = from + INTENT_HORIZON_MIN * 60000;
        const lists = [];
        const queue = tiles.slice();
        const worker = async () => {
          while (queue.length) {
            const t = queue.shift();
            const r = await api(`/v1/intents?bbox=${t.map((v) => v.toFixed(4)).join(',')}&from=${iso(from)}&to=${iso(to)}`);
            lists.push(await r.json());
          }
        };
        await Promise.all(Array.from({ length: Math.min(INTENT_PARALLEL, tiles.length) }, worker));
        const next = new Map();
        let truncated = false;
        for (const l of lists) {
          truncated = truncated || l.truncated;
          for (const i of l.intents || []) next.set(i.id, i);
        }
        S.intents = next;
        S.intentNote = truncated ? 'More than 1,000 intents in a part of the view: zoom in to see all.' : '';
      }
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) { sessionRefused(e); return; }
      if (e instanceof ApiError && e.status === 403) S.intentNote = 'This token cannot read intents (scope intents.read).';
    } finally {
      intentsInFlight = false;
    }
    intentsChanged();
    if (intentsAgain) { intentsAgain = false; fetchIntents(); }
  }
  let intentTimer = null;
  function scheduleIntents(ms) {
    if (intentTimer) { clearTimeout(intentTimer); timers.delete(intentTimer); }
    intentTimer = later(() => { intentTimer = null; fetchIntents(); }, ms);
  }

  // ---------------------------------------------------------------- 4. event stream
  let ws = null, backoff = 500, everOpen = false;
  function connect() {
    if (S.stopped) return;
    const u = new URL('/v1/stream', location.href);
    u.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    u.searchParams.set('access_token', S.token);
    if (S.cursor != null) u.searchParams.set('since', String(S.cursor));
    setConnection(everOpen ? 'disconnected' : 'connecting');
    let sock;
    try { sock = new WebSocket(u.href); } catch (e) { scheduleReconnect(); return; }
    ws = sock;
    sock.onmessage = (m) => onMessage(m.data, performance.now());
    sock.onclose = () => {
      if (ws !== sock) return;
      ws = null;
      scheduleReconnect();
    };
    sock.onerror = () => { /* onclose follows */ };
  }
  function scheduleReconnect() {
    if (S.stopped) return;
    setConnection('disconnected');
    later(connect, backoff);
    backoff = Math.min(5000, backoff * 2);
  }
  function setConnection(state) {
    S.connection = state;
    const el = $('conn');
    el.dataset.state = state;
    el.textContent = state === 'open' ? 'live' : state === 'connecting' ? 'connecting…' : 'disconnected';
    $('banner').hidden = state !== 'disconnected';
  }
  function onMessage(text, t0) {
    let e;
    try { e = JSON.parse(text); } catch { return; }
    if (typeof e.cursor === 'number' && (S.cursor == null || e.cursor > S.cursor)) {
      if (e.type !== 'hello' || S.cursor == null) S.cursor = e.cursor;
    }
    if (e.type !== 'track') {
      logPush(messageLog, { type: e.type, cursor: e.cursor, own: e.own, intruder: e.intruder, level: e.level, state: e.state, at: Date.now() });
    }
    switch (e.type) {
      case 'hello':
        everOpen = true;
        backoff = 500;
        if (e.party) S.party = String(e.party);
        setConnection('open');
        renderTop();
        fetchConflicts();      // nothing lost: the full list after every (re)connection
        fetchIntents();
        break;
      case 'gap':
        fetchConflicts();
        break;
      case 'conflict':
      case 'alert':
        if (e.kind === 'strategic') { fetchConflicts(); break; }
        applyConflictEvent(e);
        break;
      case 'intent':
        if (e.intent && e.intent.id) {
          if (e.change === 'deleted') S.intents.delete(e.intent.id); else S.intents.set(e.intent.id, e.intent);
          intentsChanged();
        }
        fetchConflicts();      // strategic conflicts may have changed
        break;
      case 'track':
        if (Array.isArray(e.tracks)) applyTracks(e.tracks, t0);
        break;
      default:
        break;
    }
  }

  // ---------------------------------------------------------------- 5. map (WebGL or canvas)
  const wrap = document.querySelector('.mapwrap');
  const mapEl = $('map');
  const overlay = $('overlay');
  const octx = overlay.getContext('2d');
  let map = null;                 // MapLibre map in WebGL mode
  let countries = null;           // GeoJSON
  let countriesPath = null;       // Path2D in mercator units ×MERC_SCALE (canvas mode)
  const MERC_SCALE = 4096;
  const V = { k: TILE * 2, tx: 0, ty: 0, w: 1, h: 1, dpr: 1 };   // px = m * k + t
  const C = { cx: 0.5, cy: 0.33, z: 3 };                         // canvas-mode camera

  function webglAvailable() {
    if (params.has('nowebgl')) return false;
    try {
      const c = document.createElement('canvas');
      return !!(c.getContext('webgl2') || c.getContext('webgl'));
    } catch { return false; }
  }
  function initialCamera() {
    const v = (params.get('view') || '').split(',').map(Number);
    if (v.length === 3 && v.every(isFinite)) { S.userMoved = true; return { lon: v[0], lat: v[1], zoom: v[2] }; }
    return { lon: 8, lat: 50, zoom: 3 };
  }
  function graticuleStep(zoom) { return zoom >= 5.5 ? 1 : zoom >= 3 ? 5 : 10; }
  function graticuleGeoJSON(step) {
    const f = [];
    for (let lon = -180; lon <= 180; lon += step) f.push({ type: 'Feature', properties: { kind: 'meridian' }, geometry: { type: 'LineString', coordinates: [[lon, -85], [lon, 85]] } });
    for (let lat = -80; lat <= 80; lat += step) f.push({ type: 'Feature', properties: { kind: 'parallel' }, geometry: { type: 'LineString', coordinates: [[-180, lat], [180, lat]] } });
    return { type: 'FeatureCollection', features: f };
  }

  async function loadCountries() {
    try {
      const res = await fetch('data/countries.geojson');
      countries = await res.json();
    } catch { countries = { type: 'FeatureCollection', features: [] }; }
  }

  function initWebGL(cam) {
    const colours = { bg: cssVar('--bg'), land: '#17242f', border: '#3d5568', grid: '#1d2c39' };
    const style = {
      version: 8,
      sources: {
        countries: { type: 'geojson', data: countries, attribution: 'Natural Earth (public domain)' },
        graticule: { type: 'geojson', data: graticuleGeoJSON(graticuleStep(cam.zoom)) },
        intents: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
      },
      layers: [
        { id: 'background', type: 'background', paint: { 'background-color': colours.bg } },
        { id: 'land', type: 'fill', source: 'countries', paint: { 'fill-color': colours.land } },
        { id: 'graticule', type: 'line', source: 'graticule', paint: { 'line-color': colours.grid, 'line-width': 1 } },
        { id: 'borders', type: 'line', source: 'countries', paint: { 'line-color': colours.border, 'line-width': 0.8 } },
        { id: 'intents-fill', type: 'fill', source: 'intents', paint: {
          'fill-color': ['case', ['get', 'own'], cssVar('--own'), cssVar('--other')],
          'fill-opacity': ['match', ['get', 'state'], 'accepted', 0.12, 'activated', 0.26, 'nonconforming', 0.26, 'contingent', 0.32, 0.12] } },
        { id: 'intents-line-accepted', type: 'line', source: 'intents', filter: ['==', ['get', 'state'], 'accepted'], paint: {
          'line-color': ['case', ['get', 'own'], cssVar('--own'), cssVar('--other')], 'line-width': 1.5, 'line-dasharray': [3, 2] } },
        { id: 'intents-line', type: 'line', source: 'intents', filter: ['!=', ['get', 'state'], 'accepted'], paint: {
          'line-color': ['match', ['get', 'state'], 'nonconforming', cssVar('--l2'), 'contingent', cssVar('--l3'),
            ['case', ['get', 'own'], cssVar('--own'), cssVar('--other')]],
          'line-width': 2 } },
      ],
    };
    map = new maplibregl.Map({
      container: mapEl, style, center: [cam.lon, cam.lat], zoom: cam.zoom, minZoom: 1, maxZoom: 16,
      maxPitch: 0, renderWorldCopies: false, dragRotate: false, pitchWithRotate: false, touchPitch: false,
      attributionControl: { compact: true }, fadeDuration: 0, keyboard: true, boxZoom: true,
    });
    map.keyboard.disableRotation();
    map.touchZoomRotate.disableRotation();
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-left');
    const scaleWidth = Math.round(10 * rem());     // px: follows the rem scaling (laptop … 4K wall)
    map.addControl(new maplibregl.ScaleControl({ maxWidth: scaleWidth, unit: 'nautical' }), 'bottom-left');
    map.addControl(new maplibregl.ScaleControl({ maxWidth: scaleWidth, unit: 'metric' }), 'bottom-left');
    let step = graticuleStep(cam.zoom);
    map.on('render', () => { syncViewFromMap(); if (dirty || viewChanged()) draw(); });
    map.on('move', () => { invalidate(); });
    map.on('movestart', (e) => { if (e.originalEvent) S.userMoved = true; });
    map.on('moveend', () => {
      const s = graticuleStep(map.getZoom());
      if (s !== step && map.getSource('graticule')) { step = s; map.getSource('graticule').setData(graticuleGeoJSON(s)); }
      afterViewChange();
    });
    map.on('load', () => { intentSig = null; intentsChanged(); invalidate(); });
    map.on('error', (e) => { S.errors.push(String(e && e.error && e.error.message || e)); });
    // WebGL breaking at run time (the most common display failure in tar1090's issues): if the
    // context does not come back within 3 s, start again on the canvas renderer (the token is in
    // session storage, so the page signs itself in again).
    let lost = null;
    map.on('webglcontextlost', () => {
      S.errors.push('WebGL context lost');
      lost = setTimeout(() => {
        const u = new URL(location.href);
        u.searchParams.set('nowebgl', '');
        location.replace(u.href);
      }, 3000);
    });
    map.on('webglcontextrestored', () => { if (lost) clearTimeout(lost); lost = null; });
    map.on('click', (e) => select(hitTest(e.point.x, e.point.y)));
    map.on('mousemove', (e) => hoverAt(e.point.x, e.point.y));
    map.on('mouseout', () => hoverAt(null, null));
    // MapLibre's canvas takes the focus and the keys (arrows pan, + / − zoom).
    mapEl.removeAttribute('tabindex');
    map.getCanvas().setAttribute('aria-label', 'Traffic map: arrow keys pan, + and − zoom');
  }
  function syncViewFromMap() {
    const c = map.getCenter();
    V.k = TILE * Math.pow(2, map.getZoom());
    const m = merc(c.lng, c.lat);
    V.tx = V.w / 2 - m[0] * V.k;
    V.ty = V.h / 2 - m[1] * V.k;
  }

  // Canvas fallback: our own web-mercator camera, base map drawn in 2D.
  let baseCanvas = null, bctx = null, baseDirty = true;
  function initCanvas(cam) {
    baseCanvas = document.createElement('canvas');
    baseCanvas.className = 'overlay';
    mapEl.appendChild(baseCanvas);
    bctx = baseCanvas.getContext('2d');
    const m = merc(cam.lon, cam.lat);
    C.cx = m[0]; C.cy = m[1]; C.z = cam.zoom;
    countriesPath = new Path2D();
    for (const f of countries.features) {
      const g = f.geometry;
      const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
      for (const poly of polys) for (const ring of poly) {
        ring.forEach(([lon, lat], i) => {
          const p = merc(lon, lat);
          if (i === 0) countriesPath.moveTo(p[0] * MERC_SCALE, p[1] * MERC_SCALE);
          else countriesPath.lineTo(p[0] * MERC_SCALE, p[1] * MERC_SCALE);
        });
        countriesPath.closePath();
      }
    }
    $('scalebar').hidden = false;
    // Mouse: drag to pan, wheel or double-click to zoom about the pointer, click to select.
    let drag = null;
    mapEl.addEventListener('mousedown', (e) => {
      mapEl.focus({ preventScroll: true });
      drag = { x: e.clientX, y: e.clientY, cx: C.cx, cy: C.cy, moved: false };
    });
    window.addEventListener('mousemove', (e) => {
      const r = mapEl.getBoundingClientRect();
      if (drag) {
        const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
        if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
        if (drag.moved) {
          const k = TILE * Math.pow(2, C.z);
          C.cx = drag.cx - dx / k; C.cy = Math.min(1, Math.max(0, drag.cy - dy / k));
          S.userMoved = true;
          cameraChanged(false);
        }
      } else if (e.target === mapEl || mapEl.contains(e.target)) {
        hoverAt(e.clientX - r.left, e.clientY - r.top);
      }
    });
    window.addEventListener('mouseup', (e) => {
      if (!drag) return;
      const d = drag; drag = null;
      const r = mapEl.getBoundingClientRect();
      if (!d.moved) select(hitTest(e.clientX - r.left, e.clientY - r.top));
      else cameraChanged(true);
    });
    mapEl.addEventListener('wheel', (e) => {
      e.preventDefault();
      const r = mapEl.getBoundingClientRect();
      zoomAbout(C.z - e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0025), e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });
    mapEl.addEventListener('dblclick', (e) => {
      const r = mapEl.getBoundingClientRect();
      zoomAbout(C.z + (e.shiftKey ? -1 : 1), e.clientX - r.left, e.clientY - r.top);
    });
    // Keyboard (the map is focusable): arrows pan, + / − zoom, as MapLibre's handler does.
    mapEl.addEventListener('keydown', (e) => {
      const k = TILE * Math.pow(2, C.z), step = 100 / k;
      let handled = true;
      switch (e.key) {
        case 'ArrowLeft': C.cx -= step; break;
        case 'ArrowRight': C.cx += step; break;
        case 'ArrowUp': C.cy = Math.max(0, C.cy - step); break;
        case 'ArrowDown': C.cy = Math.min(1, C.cy + step); break;
        case '+': case '=': zoomAbout(C.z + 1, V.w / 2, V.h / 2); return e.preventDefault();
        case '-': case '_': zoomAbout(C.z - 1, V.w / 2, V.h / 2); return e.preventDefault();
        default: handled = false;
      }
      if (handled) { e.preventDefault(); S.userMoved = true; cameraChanged(true); }
    });
    mapEl.addEventListener('mouseleave', () => hoverAt(null, null));
    syncViewFromCamera();
  }
  function zoomAbout(z, px, py) {
    z = Math.max(1, Math.min(16, z));
    const k0 = TILE * Math.pow(2, C.z), k1 = TILE * Math.pow(2, z);
    const mx = C.cx + (px - V.w / 2) / k0, my = C.cy + (py - V.h / 2) / k0;
    C.z = z; C.cx = mx - (px - V.w / 2) / k1; C.cy = Math.min(1, Math.max(0, my - (py - V.h / 2) / k1));
    S.userMoved = true;
    cameraChanged(true);
  }
  function syncViewFromCamera() {
    V.k = TILE * Math.pow(2, C.z);
    V.tx = V.w / 2 - C.cx * V.k;
    V.ty = V.h / 2 - C.cy * V.k;
  }
  let settleTimer = null;
  function cameraChanged(settled) {
    syncViewFromCamera();
    baseDirty = true;
    invalidate();
    if (settleTimer) clearTimeout(settleTimer);
    settleTimer = setTimeout(afterViewChange, settled ? 50 : 300);
  }
  function afterViewChange() {
    scheduleIntents(400);
    pollTrafficNow();                      // newly revealed areas fill at once
  }

  // Either mode: move the camera.
  function flyTo(lon, lat, zoom) {
    if (map) map.easeTo({ center: [lon, lat], zoom: zoom == null ? map.getZoom() : zoom, duration: 600 });
    else { const m = merc(lon, lat); C.cx = m[0]; C.cy = m[1]; if (zoom != null) C.z = zoom; cameraChanged(true); }
  }
  function fitBounds(w, s, e, n, maxZoom) {
    const a = merc(w, n), b = merc(e, s);
    const padX = 0.12 * V.w, padY = 0.12 * V.h;
    const zx = Math.log2((V.w - 2 * padX) / TILE / Math.max(1e-9, b[0] - a[0]));
    const zy = Math.log2((V.h - 2 * padY) / TILE / Math.max(1e-9, b[1] - a[1]));
    const z = Math.max(1, Math.min(maxZoom, zx, zy));
    const c = unmerc((a[0] + b[0]) / 2, (a[1] + b[1]) / 2);
    if (map) map.jumpTo({ center: c, zoom: z });
    else { C.cx = (a[0] + b[0]) / 2; C.cy = (a[1] + b[1]) / 2; C.z = z; cameraChanged(true); }
  }
  function fitToAircraft(list) {
    S.fitted = true;
    let w = 180, s = 90, e = -180, n = -90;
    for (const v of list) { w = Math.min(w, v.lon); e = Math.max(e, v.lon); s = Math.min(s, v.lat); n = Math.max(n, v.lat); }
    const cl = (s + n) / 2, cm = (w + e) / 2;
    const half = 0.6;      // at least ±0.6° around the traffic
    fitBounds(Math.min(w, cm - half), Math.min(s, cl - half / 2), Math.max(e, cm + half), Math.max(n, cl + half / 2), 10);
    afterViewChange();
  }
  // The viewport as west,south,east,north (degrees), clamped to what the API takes.
  function viewBBox() {
    const mx0 = -V.tx / V.k, mx1 = (V.w - V.tx) / V.k;
    const my0 = Math.max(0, -V.ty / V.k), my1 = Math.min(1, (V.h - V.ty) / V.k);
    const [, n] = unmerc(0, my0), [, s] = unmerc(0, my1);
    let w, e;
    if (mx1 - mx0 >= 1) { w = -180; e = 180; } else {
      w = Math.max(-180, unmerc(Math.max(0, mx0), 0)[0]);
      e = Math.min(180, unmerc(Math.min(1, mx1), 0)[0]);
    }
    return [w, Math.max(-90, s), e, Math.min(90, n)];
  }

  // ---------------------------------------------------------------- 6. overlay (one canvas)
  let dirty = true;
  let lastView = { k: 0, tx: 0, ty: 0, w: 0, h: 0 };
  // The overlay is its own canvas: new data redraws it on the next animation frame without making
  // MapLibre render the map again. While the map moves, MapLibre's 'render' event draws it instead,
  // with the camera of that very frame.
  function invalidate() {
    dirty = true;
  }
  function viewChanged() {
    return lastView.k !== V.k || lastView.tx !== V.tx || lastView.ty !== V.ty || lastView.w !== V.w || lastView.h !== V.h;
  }
  function resize() {
    const r = wrap.getBoundingClientRect();
    V.w = Math.max(1, Math.round(r.width)); V.h = Math.max(1, Math.round(r.height));
    V.dpr = window.devicePixelRatio || 1;
    for (const c of [overlay, baseCanvas]) {
      if (!c) continue;
      c.width = Math.round(V.w * V.dpr); c.height = Math.round(V.h * V.dpr);
    }
    if (map) { map.resize(); syncViewFromMap(); } else syncViewFromCamera();
    baseDirty = true;
    invalidate();
  }

  const PAL = {};
  function palette() {
    for (const k of ['own', 'other', 'l0', 'l1', 'l2', 'l3', 'text', 'muted', 'bg']) PAL[k] = cssVar(`--${k}`);
  }
  const levelColour = (l) => PAL[`l${Math.max(0, Math.min(3, l | 0))}`];

  function drawBase() {
    baseDirty = false;
    const ctx = bctx;
    ctx.setTransform(V.dpr, 0, 0, V.dpr, 0, 0);
    ctx.fillStyle = PAL.bg; ctx.fillRect(0, 0, V.w, V.h);
    const s = V.k / MERC_SCALE;
    ctx.save();
    ctx.setTransform(V.dpr * s, 0, 0, V.dpr * s, V.dpr * V.tx, V.dpr * V.ty);
    ctx.fillStyle = '#17242f'; ctx.fill(countriesPath, 'evenodd');
    ctx.restore();
    // Graticule.
    const step = graticuleStep(Math.log2(V.k / TILE));
    const [w, so, e, n] = viewBBox();
    ctx.strokeStyle = '#1d2c39'; ctx.lineWidth = 1; ctx.beginPath();
    for (let lon = Math.ceil(w / step) * step; lon <= e; lon += step) { const x = Math.round(merc(lon, 0)[0] * V.k + V.tx) + 0.5; ctx.moveTo(x, 0); ctx.lineTo(x, V.h); }
    for (let lat = Math.ceil(so / step) * step; lat <= n; lat += step) { const y = Math.round(merc(0, lat)[1] * V.k + V.ty) + 0.5; ctx.moveTo(0, y); ctx.lineTo(V.w, y); }
    ctx.stroke();
    ctx.save();
    ctx.setTransform(V.dpr * s, 0, 0, V.dpr * s, V.dpr * V.tx, V.dpr * V.ty);
    ctx.strokeStyle = '#3d5568'; ctx.lineWidth = 0.8 / s; ctx.stroke(countriesPath);
    ctx.restore();
    // Intents (filled volumes) — MapLibre draws them in WebGL mode.
    for (const f of intentFeatures) {
      const p = f.properties, own = p.own;
      const alpha = p.state === 'accepted' ? 0.12 : p.state === 'contingent' ? 0.32 : 0.26;
      ctx.beginPath();
      f.geometry.coordinates[0].forEach(([lon, lat], i) => {
        const m = merc(lon, lat), x = m[0] * V.k + V.tx, y = m[1] * V.k + V.ty;
        if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
      });
      ctx.closePath();
      ctx.globalAlpha = alpha; ctx.fillStyle = own ? PAL.own : PAL.other; ctx.fill();
      ctx.globalAlpha = 1;
      ctx.setLineDash(p.state === 'accepted' ? [6, 4] : []);
      ctx.strokeStyle = p.state === 'nonconforming' ? PAL.l2 : p.state === 'contingent' ? PAL.l3 : own ? PAL.own : PAL.other;
      ctx.lineWidth = p.state === 'accepted' ? 1.5 : 2; ctx.stroke();
      ctx.setLineDash([]);
    }
    updateScaleBar();
  }
  function updateScaleBar() {
    const lat = unmerc(0, (V.h / 2 - V.ty) / V.k)[1];
    const mPerPx = 2 * Math.PI * 6378137 * Math.cos(lat * D2R) / V.k;
    const maxNm = 10 * rem() * mPerPx / NM;
    const nice = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000];
    let nm = nice[0];
    for (const v of nice) if (v <= maxNm) nm = v;
    const el = $('scalebar');
    el.querySelector('.scalebar-bar').style.width = `${(nm * NM / mPerPx).toFixed(0)}px`;
    el.querySelector('span').textContent = `${nm} NM`;
  }

  function draw() {
    const tStart = performance.now();
    dirty = false;
    lastView = { k: V.k, tx: V.tx, ty: V.ty, w: V.w, h: V.h };
    if (!map && baseDirty) drawBase();
    const ctx = octx, R = rem(), W = V.w, H = V.h, k = V.k, tx = V.tx, ty = V.ty;
    ctx.setTransform(V.dpr, 0, 0, V.dpr, 0, 0);
    ctx.clearRect(0, 0, W, H);
    const margin = 2 * R;
    const inView = (x, y) => x > -margin && x < W + margin && y > -margin && y < H + margin;

    // Which aircraft are on screen (one pass), then batched paths per class.
    const vis = [];
    let own = 0, others = 0;
    for (const a of S.aircraft.values()) {
      const x = a.mx * k + tx, y = a.my * k + ty;
      if (x < 0 || x > W || y < 0 || y > H) { a.sx = x; a.sy = y; if (!inView(x, y)) continue; } else if (a.own) own++; else others++;
      a.sx = x; a.sy = y;
      vis.push(a);
    }
    // Paths are flushed every few hundred segments: Skia fills and strokes one huge path far
    // more slowly than many moderate ones (10,000 triangles: ~400 ms as one path, ~25 ms in chunks).
    // Trails.
    if (vis.length <= TRAIL_LIMIT) {
      ctx.globalAlpha = 0.45; ctx.lineWidth = Math.max(1, 0.1 * R);
      for (const cls of [true, false]) {
        ctx.strokeStyle = cls ? PAL.own : PAL.other;
        ctx.beginPath();
        let segs = 0;
        for (const a of vis) {
          if (a.own !== cls || a.tLen === 0) continue;
          ctx.moveTo(a.sx, a.sy);
          for (let n = 1; n <= a.tLen; n++) {
            const i = 2 * ((a.tHead - n + TRAIL_POINTS) % TRAIL_POINTS);
            ctx.lineTo(a.trail[i] * k + tx, a.trail[i + 1] * k + ty);
          }
          segs += a.tLen;
          if (segs >= STROKE_CHUNK) { ctx.stroke(); ctx.beginPath(); segs = 0; }
        }
        ctx.stroke();
      }
      ctx.globalAlpha = 1;
    }
    // Dense pictures get smaller symbols and fainter leader lines (1 = a roomy picture).
    const density = Math.max(0.35, Math.min(1, Math.sqrt(W * H / Math.max(1, vis.length)) / (5 * R)));
    // Leader lines (60 s ahead).
    ctx.globalAlpha = density < 0.6 ? 0.45 : 0.8; ctx.lineWidth = Math.max(1, 0.08 * R);
    for (const cls of [true, false]) {
      ctx.strokeStyle = cls ? PAL.own : PAL.other;
      ctx.beginPath();
      let segs = 0;
      for (const a of vis) {
        if (a.own !== cls) continue;
        ctx.moveTo(a.sx, a.sy); ctx.lineTo(a.lx * k + tx, a.ly * k + ty);
        if (++segs >= STROKE_CHUNK) { ctx.stroke(); ctx.beginPath(); segs = 0; }
      }
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
    // Conflict lines, coloured by level, with time to loss of separation.
    const conflictsDrawn = [];
    const involved = new Map();
    const labels = [];
    for (const c of S.conflicts.values()) {
      const a = S.aircraft.get(c.own), b = S.aircraft.get(c.intruder);
      if (!a || !b) continue;
      const ax = a.mx * k + tx, ay = a.my * k + ty, bx = b.mx * k + tx, by = b.my * k + ty;
      const lvl = c.level | 0;
      ctx.beginPath(); ctx.moveTo(ax, ay); ctx.lineTo(bx, by);
      ctx.setLineDash(lvl === 0 ? [0.5 * R, 0.35 * R] : []);
      ctx.strokeStyle = levelColour(lvl); ctx.lineWidth = Math.max(1.5, (0.12 + 0.05 * lvl) * R); ctx.stroke();
      ctx.setLineDash([]);
      involved.set(a.id, Math.max(involved.get(a.id) ?? -1, lvl));
      involved.set(b.id, Math.max(involved.get(b.id) ?? -1, lvl));
      const ttv = remaining(c);
      conflictsDrawn.push({ own: c.own, intruder: c.intruder, level: lvl, time_to_violation_s: ttv.ttv, tin_s: ttv.tin });
      const inside = c.los || (ttv.tin != null && ttv.tin <= 0);
      const text = lvl > 0 ? `L${lvl} · ${c.los ? 'well clear lost' : fmtSecs(ttv.ttv)}` : `L0 · 5 NM ${inside ? 'inside' : fmtSecs(ttv.tin)}`;
      labels.push({ ax, ay, bx, by, lvl, text });
    }
    // Aircraft: one path per class, a triangle pointing along the track.
    const size = 0.62 * R * density;
    const drawClass = (pred, colour) => {
      ctx.fillStyle = colour;
      ctx.beginPath();
      let n = 0;
      for (const a of vis) {
        if (!pred(a)) continue;
        if (++n % FILL_CHUNK === 0) { ctx.fill(); ctx.beginPath(); }
        const t = a.trk * D2R, sn = Math.sin(t), cs = Math.cos(t);
        const x = a.sx, y = a.sy;
        ctx.moveTo(x + sn * size, y - cs * size);
        ctx.lineTo(x - sn * 0.55 * size - cs * 0.6 * size, y + cs * 0.55 * size - sn * 0.6 * size);
        ctx.lineTo(x - sn * 0.2 * size, y + cs * 0.2 * size);
        ctx.lineTo(x - sn * 0.55 * size + cs * 0.6 * size, y + cs * 0.55 * size + sn * 0.6 * size);
        ctx.closePath();
      }
      ctx.fill();
    };
    // Not reported for STALE_S (by this browser's clock): grey, whoever owns it.
    const staleBefore = Date.now() - STALE_S * 1000;
    drawClass((a) => a.freshAt < staleBefore, PAL.muted);
    drawClass((a) => !a.own && a.freshAt >= staleBefore, PAL.other);
    drawClass((a) => a.own && a.freshAt >= staleBefore, PAL.own);
    // Halo on aircraft in a conflict, selection ring.
    for (const [id, lvl] of involved) {
      const a = S.aircraft.get(id);
      if (!a || !inView(a.sx, a.sy)) continue;
      ctx.beginPath(); ctx.arc(a.sx, a.sy, 0.95 * R, 0, 2 * Math.PI);
      ctx.strokeStyle = levelColour(lvl); ctx.lineWidth = Math.max(1.5, 0.12 * R); ctx.stroke();
    }
    // Conflict labels above the lines.
    ctx.font = `700 ${0.78 * R}px system-ui, sans-serif`;
    ctx.textBaseline = 'middle';
    for (const l of labels) {
      // At the middle of the line; lifted above the pair when the line is too short to hold it.
      const w = ctx.measureText(l.text).width + 0.6 * R;
      const short = Math.hypot(l.bx - l.ax, l.by - l.ay) < w + 2.5 * R;
      l.x = (l.ax + l.bx) / 2;
      l.y = short ? Math.min(l.ay, l.by) - 1.9 * R : (l.ay + l.by) / 2;
      if (!inView(l.x, l.y)) continue;
      ctx.fillStyle = 'rgba(10,16,22,0.85)'; ctx.fillRect(l.x - w / 2, l.y - 0.65 * R, w, 1.3 * R);
      ctx.strokeStyle = levelColour(l.lvl); ctx.lineWidth = 1; ctx.strokeRect(l.x - w / 2 + 0.5, l.y - 0.65 * R + 0.5, w - 1, 1.3 * R - 1);
      ctx.fillStyle = levelColour(l.lvl); ctx.textAlign = 'center'; ctx.fillText(l.text, l.x, l.y);
    }
    drawGraticuleLabels(ctx, R);
    drawIntentLabels(ctx, R);
    // Label of the hovered and the selected aircraft.
    for (const id of new Set([S.selected, S.hover])) {
      const a = id && S.aircraft.get(id);
      if (!a) continue;
      if (id === S.selected) {
        ctx.beginPath(); ctx.arc(a.sx, a.sy, 1.2 * R, 0, 2 * Math.PI);
        ctx.strokeStyle = PAL.text; ctx.lineWidth = 1.5; ctx.stroke();
      }
      drawLabel(ctx, a, R);
    }

    drawn.own = own; drawn.others = others; drawn.total = own + others; drawn.conflicts = conflictsDrawn;
    drawn.frames++; drawn.at = Date.now();
    const wall = Date.now();
    const seen = new Set();
    for (const c of conflictsDrawn) {
      const key = `${c.own}|${c.intruder}`;
      seen.add(key);
      if (drawnLevel.get(key) !== c.level) {
        drawnLevel.set(key, c.level);
        logPush(drawLog, { own: c.own, intruder: c.intruder, level: c.level, drawnAt: wall });
      }
    }
    for (const [key] of drawnLevel) {
      if (seen.has(key)) continue;
      drawnLevel.delete(key);
      const [o, i] = key.split('|');
      logPush(drawLog, { own: o, intruder: i, level: -1, drawnAt: wall });
    }
    const tEnd = performance.now();
    for (const t0 of REC.pending) pushRing(REC.latencies, tEnd - t0);
    REC.pending.length = 0;
    drawn.lastDrawMs = tEnd - tStart;
    renderCountsSoon();
  }
  function drawLabel(ctx, a, R) {
    const lines = [a.id, `${fmtFt(a.alt)}  ${a.vs > 300 ? '↑' : a.vs < -300 ? '↓' : ''}`, `${Math.round(a.gs)} kt  ${pad2(Math.round(a.trk) % 360).padStart(3, '0')}°`];
    ctx.font = `600 ${0.8 * R}px system-ui, sans-serif`;
    ctx.textAlign = 'left'; ctx.textBaseline = 'top';
    const lh = 1.05 * R;
    const w = Math.max(...lines.map((l) => ctx.measureText(l).width)) + 0.8 * R, h = lines.length * lh + 0.5 * R;
    let x = a.sx + 1.1 * R, y = a.sy - h - 0.4 * R;
    if (x + w > V.w) x = a.sx - 1.1 * R - w;
    if (y < 0) y = a.sy + 0.8 * R;
    ctx.fillStyle = 'rgba(10,16,22,0.92)'; ctx.fillRect(x, y, w, h);
    ctx.strokeStyle = a.own ? PAL.own : PAL.other; ctx.lineWidth = 1; ctx.strokeRect(x + 0.5, y + 0.5, w - 1, h - 1);
    ctx.fillStyle = PAL.text;
    lines.forEach((l, i) => ctx.fillText(l, x + 0.4 * R, y + 0.25 * R + i * lh));
  }
  function drawGraticuleLabels(ctx, R) {
    const step = graticuleStep(Math.log2(V.k / TILE));
    const [w, s, e, n] = viewBBox();
    ctx.font = `${0.7 * R}px system-ui, sans-serif`;
    ctx.fillStyle = PAL.muted; ctx.textBaseline = 'top'; ctx.textAlign = 'left';
    for (let lon = Math.ceil(w / step) * step; lon <= e; lon += step) {
      const x = merc(lon, 0)[0] * V.k + V.tx;
      ctx.fillText(`${Math.abs(lon)}°${lon < 0 ? 'W' : lon > 0 ? 'E' : ''}`, x + 0.25 * R, 0.3 * R);
    }
    ctx.textBaseline = 'bottom';
    for (let lat = Math.ceil(s / step) * step; lat <= n; lat += step) {
      const y = merc(0, lat)[1] * V.k + V.ty;
      if (y < 1.5 * R) continue;
      ctx.fillText(`${Math.abs(lat)}°${lat < 0 ? 'S' : lat > 0 ? 'N' : ''}`, 0.3 * R + (map ? 2.6 * R : 0), y - 0.15 * R);
    }
  }
  function drawIntentLabels(ctx, R) {
    ctx.font = `${0.72 * R}px system-ui, sans-serif`;
    ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
    for (const f of intentFeatures) {
      const p = f.properties;
      const m = merc(p.clon, p.clat), x = m[0] * V.k + V.tx, y = m[1] * V.k + V.ty;
      const rpx = p.rm / (2 * Math.PI * 6378137 * Math.cos(p.clat * D2R)) * V.k;
      if (rpx < 3 * R || x < 0 || x > V.w || y < 0 || y > V.h) continue;
      ctx.fillStyle = p.own ? PAL.own : PAL.other;
      ctx.fillText(`${p.id} · ${p.state}`, x, y - 0.5 * R);
      ctx.fillStyle = PAL.muted;
      ctx.fillText(`${hhmmZ(p.start)}–${hhmmZ(p.end)} · ${fmtFt(p.lo)}–${fmtFt(p.hi)}`, x, y + 0.5 * R);
    }
  }

  // Hit-testing over the positions (no DOM node per aircraft).
  function hitTest(px, py) {
    if (px == null) return null;
    const R = rem(), lim = (1.1 * R) ** 2;
    let best = null, bd = lim;
    for (const a of S.aircraft.values()) {
      const dx = a.mx * V.k + V.tx - px, dy = a.my * V.k + V.ty - py, d = dx * dx + dy * dy;
      if (d < bd) { bd = d; best = a.id; }
    }
    return best;
  }
  function hoverAt(px, py) {
    const id = hitTest(px, py);
    mapEl.style.cursor = id ? 'pointer' : '';
    if (map) map.getCanvas().style.cursor = id ? 'pointer' : '';
    if (id !== S.hover) { S.hover = id; invalidate(); }
  }
  function select(id) {
    S.selected = id;
    renderSelected();
    invalidate();
  }

  // Time left, counted down from the assessment's report time.
  function remaining(c) {
    const age = Math.max(0, Date.now() / 1000 - (c.report_time || Date.now() / 1000));
    return {
      ttv: typeof c.time_to_violation_s === 'number' ? c.time_to_violation_s - age : null,
      tin: typeof c.tin_s === 'number' ? c.tin_s - age : null,
    };
  }

  // ---------------------------------------------------------------- intents → features
  let intentFeatures = [];
  let intentSig = null;
  let sliderMin = 0;
  function sliderTime() { return Date.now() + sliderMin * 60000; }
  function ringOf(outline) {
    if (outline.type === 'circle') {
      const [lon, lat] = outline.center, ring = [];
      for (let i = 0; i <= 72; i++) { const p = destination(lat, lon, i * 5, outline.radius_m); ring.push([p[0], p[1]]); }
      return { ring, clon: lon, clat: lat, rm: outline.radius_m };
    }
    const ring = outline.coordinates.map((p) => [p[0], p[1]]);
    if (ring.length && (ring[0][0] !== ring[ring.length - 1][0] || ring[0][1] !== ring[ring.length - 1][1])) ring.push(ring[0]);
    let clon = 0, clat = 0;
    for (const p of ring) { clon += p[0]; clat += p[1]; }
    clon /= ring.length; clat /= ring.length;
    let rm = 0;
    for (const p of ring) rm = Math.max(rm, Math.hypot((p[0] - clon) * Math.cos(clat * D2R), p[1] - clat) * D2R * EARTH_M);
    return { ring, clon, clat, rm };
  }
  function intentsChanged() {
    const t = sliderTime();
    const feats = [];
    for (const i of S.intents.values()) {
      if (i.state === 'ended') continue;
      (i.volumes || []).forEach((v, idx) => {
        const start = Date.parse(v.start), end = Date.parse(v.end);
        if (!(start <= t && t <= end)) return;
        const g = ringOf(v.outline);
        feats.push({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [g.ring] },
          properties: { id: i.id, own: !!i.own, state: i.state, volume: idx, start, end,
            lo: v.alt_lower_ft, hi: v.alt_upper_ft, clon: g.clon, clat: g.clat, rm: g.rm } });
      });
    }
    intentFeatures = feats;
    const sig = feats.map((f) => `${f.properties.id}/${f.properties.volume}/${f.properties.state}/${f.properties.own}`).join(',')
      + `|${[...S.intents.values()].map((i) => i.ovn).join(',')}`;
    if (map && map.getSource('intents') && sig !== intentSig) {
      intentSig = sig;
      map.getSource('intents').setData({ type: 'FeatureCollection', features: feats });
    }
    baseDirty = true;
    invalidate();
    renderIntents();
  }

  // ---------------------------------------------------------------- 7. panels
  function alertItems() {
    const items = [];
    for (const [key, c] of S.conflicts) {
      const r = remaining(c);
      items.push({ key, kind: 'tactical', own: c.own, intruder: c.intruder, level: c.level | 0,
        ttv: r.ttv, tin: r.tin, dist: c.distance_nm, vert: c.vertical_ft, los: !!c.los });
    }
    items.sort((a, b) => (b.level - a.level) || (urgency(a) - urgency(b)) || a.key.localeCompare(b.key));
    for (const c of S.strategic) {
      const p = (c.pairs || [])[0];
      items.push({ key: `s|${c.own}|${c.intruder}`, kind: 'strategic', own: c.own, intruder: c.intruder, level: 0,
        start: p ? Date.parse(p.start) : null, end: p ? Date.parse(p.end) : null, lo: p && p.alt_lower_ft, hi: p && p.alt_upper_ft,
        intruderState: c.intruder_state });
    }
    return items;
  }
  const fiveNm = (a) => (a.los || (a.tin != null && a.tin <= 0) ? 'inside' : `in ${fmtSecs(a.tin)}`);
  const urgency = (a) => (a.ttv != null ? a.ttv : a.tin != null ? a.tin : Infinity);

  let panelsQueued = false;
  function renderPanelsSoon() {
    if (panelsQueued) return;
    panelsQueued = true;
    requestAnimationFrame(() => { panelsQueued = false; renderAlerts(); });
  }
  const LEVEL_NAME = ['conflict', 'preventive', 'corrective', 'warning'];
  // Keyed update: buttons stay in place (a click is never lost to a re-render), only texts change.
  const alertNodes = new Map();
  function renderAlerts() {
    const items = alertItems();
    const ol = $('alerts');
    const keep = new Set();
    let prev = null;
    for (const a of items) {
      keep.add(a.key);
      let node = alertNodes.get(a.key);
      if (!node) {
        const li = document.createElement('li');
        const btn = document.createElement('button');
        btn.type = 'button'; btn.className = a.kind === 'strategic' ? 'alert strategic' : 'alert'; btn.dataset.key = a.key;
        const lvl = document.createElement('span'); lvl.className = 'lvl';
        const who = document.createElement('span'); who.className = 'who';
        const when = document.createElement('span'); when.className = 'when';
        btn.append(lvl, who, when); li.append(btn);
        node = { li, btn, lvl, who, when, html: '' };
        alertNodes.set(a.key, node);
      }
      let lvlText, whenHtml;
      if (a.kind === 'strategic') {
        lvlText = '4D';
        whenHtml = `intent overlap ${a.start ? `${hhmmZ(a.start)}–${hhmmZ(a.end)}` : ''}${a.lo != null ? ` · ${fmtFt(a.lo)}–${fmtFt(a.hi)}` : ''}`;
      } else {
        lvlText = `L${a.level}`;
        whenHtml = (a.level > 0
          ? `well clear <b>${a.los ? 'lost' : fmtSecs(a.ttv)}</b> · 5 NM ${fiveNm(a)}`
          : `5 NM <b>${fiveNm(a)}</b>`)
          + (a.dist != null ? ` · ${a.dist.toFixed(1)} NM / ${Math.round(Math.abs(a.vert || 0))} ft` : '');
      }
      node.btn.dataset.level = String(a.level);
      node.btn.title = a.kind === 'strategic' ? 'strategic conflict between intents' : `level ${a.level}: ${LEVEL_NAME[a.level] || ''}`;
      if (node.lvl.textContent !== lvlText) node.lvl.textContent = lvlText;
      const who = `${shortId(a.own)} × ${shortId(a.intruder)}`;
      node.who.title = `${a.own} × ${a.intruder}`;
      if (node.who.textContent !== who) node.who.textContent = who;
      if (node.html !== whenHtml) { node.when.innerHTML = whenHtml; node.html = whenHtml; }
      const want = prev ? prev.nextSibling : ol.firstChild;
      if (want !== node.li) ol.insertBefore(node.li, want);
      prev = node.li;
    }
    for (const [key, node] of alertNodes) if (!keep.has(key)) { node.li.remove(); alertNodes.delete(key); }
    $('alert-count').textContent = String(items.length);
    $('alerts-empty').hidden = items.length > 0;
  }
  function renderIntents() {
    const list = [...S.intents.values()].filter((i) => i.state !== 'ended');
    const t = sliderTime();
    const activeIds = new Set(intentFeatures.map((f) => f.properties.id));
    list.sort((a, b) => (activeIds.has(b.id) - activeIds.has(a.id)) || (b.own - a.own) || a.id.localeCompare(b.id));
    $('intents').innerHTML = list.slice(0, 50).map((i) => {
      const v = i.volumes || [];
      const start = Math.min(...v.map((x) => Date.parse(x.start))), end = Math.max(...v.map((x) => Date.parse(x.end)));
      return `<li class="intent${i.own ? ' own' : ''}${activeIds.has(i.id) ? '' : ' inactive'}"><span class="id">${esc(i.id)}</span> · ${esc(i.state)}`
        + `<div class="meta">${i.own ? 'own' : 'other party'} · ${isFinite(start) ? `${hhmmZ(start)}–${hhmmZ(end)}` : ''} · ${v.length} vol.${activeIds.has(i.id) ? ' · active at slider time' : ''}</div></li>`;
    }).join('');
    $('intent-count').textContent = String(list.length);
    $('intents-note').textContent = S.intentNote || (list.length ? '' : `No current intent in view between now and ${hhmmZ(Date.now() + INTENT_HORIZON_MIN * 60000)}.`);
    void t;
  }
  function renderSelected() {
    const a = S.selected && S.aircraft.get(S.selected);
    $('selected-panel').hidden = !a;
    if (!a) return;
    $('selected').innerHTML = [
      ['id', a.id], ['owner', a.own ? 'own' : 'other party'], ['position', `${a.lat.toFixed(4)}, ${a.lon.toFixed(4)}`],
      ['altitude', `${Math.round(a.alt)} ft (${fmtFt(a.alt)})`], ['ground speed', `${Math.round(a.gs)} kt`],
      ['track', `${Math.round(a.trk)}°`], ['vertical', `${Math.round(a.vs)} ft/min`], ['report', `${hhmmZ(a.time * 1000)} (${Math.max(0, Math.round(Date.now() / 1000 - a.time))} s ago)`],
    ].map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('');
  }
  let countsQueued = false;
  function renderCountsSoon() {
    if (countsQueued) return;
    countsQueued = true;
    later(() => { countsQueued = false; renderTop(); }, 250);
  }
  function renderTop() {
    $('party').textContent = S.party ? `party ${S.party}` : '';
    $('counts').textContent = `own ${drawn.own.toLocaleString('en')} · others ${drawn.others.toLocaleString('en')} in view · conflicts ${S.conflicts.size}${trafficOK ? '' : ' · traffic: server unreachable'}`;
    $('mode').textContent = S.mode === 'webgl' ? 'WebGL' : 'canvas (no WebGL)';
  }
  function tickClock() {
    const d = new Date();
    $('clock').textContent = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} UTC`;
  }
  function updateSliderLabel() {
    const out = $('time-label');
    if (sliderMin === 0) out.textContent = `now (${hhmmZ(Date.now())})`;
    else out.textContent = `+${Math.floor(sliderMin / 60)} h ${pad2(sliderMin % 60)} min · ${hhmmZ(sliderTime())}`;
  }

  // Centre the map on an alert's encounter (or a strategic conflict's overlap).
  async function centreOn(key) {
    if (key.startsWith('s|')) {
      const [, ownId, intruderId] = key.split('|');
      const item = alertItems().find((x) => x.key === key);
      if (item && item.start) { setSlider(Math.max(0, Math.ceil((item.start - Date.now()) / 60000 / 5) * 5)); }
      let i = S.intents.get(ownId) || S.intents.get(intruderId);
      if (!i) { try { i = await (await api(`/v1/intents/${encodeURIComponent(ownId)}`)).json(); S.intents.set(i.id, i); intentsChanged(); } catch { return; } }
      const g = ringOf(i.volumes[0].outline);
      flyTo(g.clon, g.clat, Math.max(map ? map.getZoom() : C.z, 8));
      return;
    }
    const c = S.conflicts.get(key);
    if (!c) return;
    let a = S.lastKnown.get(c.own), b = S.lastKnown.get(c.intruder);
    if (!a || !b) {
      try {
        const body = await (await api('/v1/traffic')).json();
        for (const v of body.aircraft || []) if (v.id === c.own || v.id === c.intruder) S.lastKnown.set(v.id, { lon: v.lon, lat: v.lat, t: Date.now() });
      } catch { /* keep what we have */ }
      a = S.lastKnown.get(c.own); b = S.lastKnown.get(c.intruder);
    }
    const p = a && b ? { lon: (a.lon + b.lon) / 2, lat: (a.lat + b.lat) / 2 } : a || b;
    if (!p) return;
    S.userMoved = true;
    flyTo(p.lon, p.lat, Math.max(map ? map.getZoom() : C.z, 8.5));
    select(c.own);
    later(afterViewChange, 700);
  }
  function setSlider(v) {
    sliderMin = Math.max(0, Math.min(INTENT_HORIZON_MIN, v));
    $('time').value = String(sliderMin);
    updateSliderLabel();
    intentsChanged();
  }

  // ---------------------------------------------------------------- start
  let started = false;
  async function start() {
    if (started) return;
    started = true;
    S.stopped = false;
    $('signin').hidden = true;
    $('app').hidden = false;
    palette();
    await loadCountries();
    const cam = initialCamera();
    S.mode = webglAvailable() ? 'webgl' : 'canvas';
    if (S.mode === 'webgl') {
      try { initWebGL(cam); } catch (e) {
        S.errors.push(`WebGL map failed: ${e && e.message}`);
        if (map) { try { map.remove(); } catch { /* ignore */ } map = null; }
        mapEl.innerHTML = '';
        S.mode = 'canvas';
      }
    }
    if (S.mode === 'canvas') {
      initCanvas(cam);
      $('note').textContent = 'WebGL unavailable: canvas rendering';
      $('note').hidden = false;
      later(() => { $('note').hidden = true; }, 6000);
    }
    new ResizeObserver(resize).observe(wrap);
    resize();
    renderTop();
    $('alerts').addEventListener('click', (e) => {
      const b = e.target.closest('button.alert');
      if (b) centreOn(b.dataset.key);
    });
    $('time').addEventListener('input', (e) => setSlider(Number(e.target.value)));
    updateSliderLabel();
    const tick = () => {
      if (S.stopped) return;
      tickClock(); renderAlerts(); renderSelected(); dropOld();
      if (sliderMin === 0) intentsChanged();   // "now" moves
      updateSliderLabel();
      invalidate();                            // countdown labels on the lines
      later(tick, 1000);
    };
    tick();
    later(() => { const loop = () => { if (S.stopped) return; fetchIntents(); later(loop, 15000); }; loop(); }, 15000);
    requestAnimationFrame(frameLoop);
    connect();
    if (!pollTimer && !trafficInFlight) pollTimer = later(() => { pollTimer = null; pollTraffic(); }, 1000);
  }
  let lastTs = null;
  function frameLoop(ts) {
    if (lastTs != null && REC.recording) pushRing(REC.frames, ts - lastTs);
    lastTs = ts;
    drawn.lastFrameAt = ts;
    drawn.rafCount = (drawn.rafCount || 0) + 1;
    if (dirty && !(map && map.isMoving())) { if (map) syncViewFromMap(); draw(); }
    requestAnimationFrame(frameLoop);
  }

  // ---------------------------------------------------------------- 8. test hooks
  window.deconflictDisplay = {
    get mode() { return S.mode; },
    get connection() { return S.connection; },
    get party() { return S.party; },
    get cursor() { return S.cursor; },
    get signedIn() { return !!S.token && !S.stopped && started; },
    get hovered() { return S.hover; },
    get selected() { return S.selected; },
    counts() { return { own: drawn.own, others: drawn.others, total: drawn.total, conflicts: drawn.conflicts.length, frames: drawn.frames, known: S.aircraft.size }; },
    conflicts() { return drawn.conflicts.map((c) => ({ ...c })); },
    conflictDrawLog() { return drawLog.slice(); },
    messageLog() { return messageLog.slice(); },
    alerts() { return alertItems(); },
    aircraft() { return [...S.aircraft.values()].map((a) => ({ id: a.id, own: a.own, lat: a.lat, lon: a.lon, alt_ft: a.alt, gs_kt: a.gs, trk_deg: a.trk })); },
    drawnIds() {
      const out = [];
      for (const a of S.aircraft.values()) if (a.sx >= 0 && a.sx <= V.w && a.sy >= 0 && a.sy <= V.h) out.push(a.id);
      return out;
    },
    intentsShown() { return intentFeatures.map((f) => ({ id: f.properties.id, own: f.properties.own, state: f.properties.state })); },
    bbox() { return viewBBox(); },
    view() { return { zoom: Math.log2(V.k / TILE), center: unmerc((V.w / 2 - V.tx) / V.k, (V.h / 2 - V.ty) / V.k), width: V.w, height: V.h }; },
    setView(lon, lat, zoom) { S.userMoved = true; S.fitted = true; if (map) map.jumpTo({ center: [lon, lat], zoom }); else { const m = merc(lon, lat); C.cx = m[0]; C.cy = m[1]; C.z = zoom; cameraChanged(true); } afterViewChange(); },
    setSlider(minutes) { setSlider(minutes); },
    startRecording() { REC.frames.length = 0; REC.latencies.length = 0; REC.recording = true; },
    stopRecording() { REC.recording = false; return { frameTimes: REC.frames.slice(), latencies: REC.latencies.slice() }; },
    frameTimes() { return REC.frames.slice(); },
    latencies() { return REC.latencies.slice(); },
    lastDrawMs() { return drawn.lastDrawMs; },
    rafCount() { return drawn.rafCount || 0; },
    errors() { return S.errors.slice(); },
    projectionCheck(lon, lat) {   // our overlay projection against MapLibre's (WebGL mode)
      const m = merc(lon, lat), ours = [m[0] * V.k + V.tx, m[1] * V.k + V.ty];
      if (!map) return { ours };
      const p = map.project([lon, lat]);
      return { ours, maplibre: [p.x, p.y] };
    },
  };

  // ---------------------------------------------------------------- sign-in wiring
  $('signin-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const t = $('token').value.trim();
    if (!t) { showSignInError('paste a token first', ''); return; }
    signIn(t, false);
  });
  $('signout').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    location.replace(location.pathname + location.search);
  });
  const notice = sessionStorage.getItem(NOTICE_KEY);
  if (notice) {
    sessionStorage.removeItem(NOTICE_KEY);
    try { const r = JSON.parse(notice); showSignInError(r.title, r.detail); } catch { /* ignore */ }
  }
  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved) signIn(saved, true);
})();
