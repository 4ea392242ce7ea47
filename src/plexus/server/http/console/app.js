// The console page: schema browser and SQL editor over POST /api/v1/sql, dashboard over
// GET /metrics. Everything from the server reaches the DOM through textContent, never as HTML.
"use strict";

const kPollMilliseconds = 2000;
const kDdlCommands = /^(CREATE|DROP|ALTER|TRUNCATE|COMMENT)\b/i;

function $(id) {
  return document.getElementById(id);
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function quoteIdentifier(name) {
  return '"' + name.replace(/"/g, '""') + '"';
}

// Runs one statement: {ok: true, result} with the API's {columns, rows, command}, or
// {ok: false, detail, sqlstate} from its problem JSON (or from a network failure).
async function runSql(sql, params = []) {
  let response;
  try {
    response = await fetch("/api/v1/sql", {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({sql, params}),
    });
  } catch (error) {
    return {ok: false, detail: `cannot reach the server: ${error.message}`, sqlstate: ""};
  }
  let body = null;
  try {
    body = await response.json();
  } catch (error) {
    body = null;
  }
  if (response.ok && body && Array.isArray(body.rows)) return {ok: true, result: body};
  return {
    ok: false,
    detail: (body && (body.detail || body.title)) || `HTTP ${response.status}`,
    sqlstate: (body && body.sqlstate) || "",
  };
}

// ---- Schema browser ----

const kTablesSql =
    "SELECT table_schema, table_name, table_type FROM information_schema.tables " +
    "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') " +
    "ORDER BY table_schema, table_name";
const kColumnsSql =
    "SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns " +
    "WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position";
const kIndexesSql =
    "SELECT indexname, indexdef FROM pg_catalog.pg_indexes " +
    "WHERE schemaname = $1 AND tablename = $2 ORDER BY indexname";

function showSchemaError(detail, sqlstate) {
  const box = $("schema-error");
  box.textContent = sqlstate ? `${sqlstate}: ${detail}` : detail;
  box.hidden = false;
}

async function loadSchema() {
  $("schema-error").hidden = true;
  const answer = await runSql(kTablesSql);
  const tree = $("schema-tree");
  if (!answer.ok) {
    tree.replaceChildren();
    showSchemaError(answer.detail, answer.sqlstate);
    return;
  }
  const bySchema = new Map();
  for (const [schema, table, type] of answer.result.rows) {
    if (!bySchema.has(schema)) bySchema.set(schema, []);
    bySchema.get(schema).push({table, type});
  }
  const items = [];
  for (const [schema, tables] of bySchema) {
    const item = element("li");
    item.append(element("div", "schema-name", schema));
    const list = element("ul");
    for (const {table, type} of tables) {
      const entry = element("li");
      const link = element("span", "table-link", table);
      link.dataset.schema = schema;
      link.dataset.table = table;
      link.tabIndex = 0;
      link.addEventListener("click", () => showTable(link));
      link.addEventListener("keydown", (event) => {
        if (event.key === "Enter") showTable(link);
      });
      entry.append(link);
      if (type && type !== "BASE TABLE") entry.append(element("span", "table-kind", type.toLowerCase()));
      list.append(entry);
    }
    item.append(list);
    items.push(item);
  }
  if (items.length === 0) items.push(element("li", "muted", "No tables yet."));
  tree.replaceChildren(...items);
}

async function showTable(link) {
  const {schema, table} = link.dataset;
  for (const other of document.querySelectorAll(".table-link.selected")) other.classList.remove("selected");
  link.classList.add("selected");
  $("table-details").hidden = false;
  $("table-title").textContent = `${schema}.${table}`;
  $("table-rows").textContent = "counting rows…";

  const [columns, indexes, count] = await Promise.all([
    runSql(kColumnsSql, [schema, table]),
    runSql(kIndexesSql, [schema, table]),
    runSql(`SELECT count(*) FROM ${quoteIdentifier(schema)}.${quoteIdentifier(table)}`),
  ]);
  if (link.dataset.table !== table || !link.classList.contains("selected")) return;

  $("table-rows").textContent =
      count.ok ? `${count.result.rows[0][0]} rows` : `rows: ${count.sqlstate} ${count.detail}`;
  const columnRows = [];
  if (columns.ok) {
    for (const [name, type, nullable, fallback] of columns.result.rows) {
      const row = element("tr");
      row.append(element("td", "", name), element("td", "", type),
                 element("td", "", nullable === "YES" ? "yes" : "no"),
                 element("td", fallback === null ? "null" : "", fallback === null ? "" : fallback));
      columnRows.push(row);
    }
  } else {
    const row = element("tr");
    const cell = element("td", "error", `${columns.sqlstate} ${columns.detail}`);
    cell.colSpan = 4;
    row.append(cell);
    columnRows.push(row);
  }
  $("table-columns").tBodies[0].replaceChildren(...columnRows);

  const indexItems = [];
  if (indexes.ok) {
    for (const [name, definition] of indexes.result.rows) {
      const item = element("li");
      item.title = name;
      item.textContent = definition || name;
      indexItems.push(item);
    }
    if (indexItems.length === 0) indexItems.push(element("li", "muted", "none"));
  } else {
    indexItems.push(element("li", "error", `${indexes.sqlstate} ${indexes.detail}`));
  }
  $("table-indexes").replaceChildren(...indexItems);
}

// ---- SQL editor ----

function cellText(value) {
  if (value === null) return "NULL";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function renderResult(result) {
  const header = element("tr");
  for (const column of result.columns) {
    const cell = element("th", "", column.name);
    if (column.type) {
      cell.append(" ");
      cell.append(element("span", "type", column.type));
    }
    header.append(cell);
  }
  const rows = result.rows.map((values) => {
    const row = element("tr");
    values.forEach((value) => {
      const className = value === null ? "null" : typeof value === "number" ? "number" : "";
      row.append(element("td", className, cellText(value)));
    });
    return row;
  });
  $("result").tHead.replaceChildren(header);
  $("result").tBodies[0].replaceChildren(...rows);
}

async function runEditor() {
  const sql = $("sql").value;
  if (sql.trim() === "") return;
  $("run").disabled = true;
  $("result-status").textContent = "running…";
  $("result-error").hidden = true;
  const started = performance.now();
  const answer = await runSql(sql);
  const milliseconds = (performance.now() - started).toFixed(1);
  $("run").disabled = false;
  if (!answer.ok) {
    $("result-status").textContent = `failed after ${milliseconds} ms`;
    $("error-sqlstate").textContent = answer.sqlstate ? `ERROR ${answer.sqlstate}` : "ERROR";
    $("error-detail").textContent = answer.detail;
    $("result-error").hidden = false;
    $("result").tHead.replaceChildren();
    $("result").tBodies[0].replaceChildren();
    return;
  }
  const result = answer.result;
  renderResult(result);
  const count = result.rows.length;
  $("result-status").textContent =
      `${result.command || "OK"} — ${count} row${count === 1 ? "" : "s"} in ${milliseconds} ms`;
  if (kDdlCommands.test(result.command || "")) loadSchema();
}

// ---- Dashboard ----

const dashboard = {previous: null, previousTime: 0, charts: null};

function createCharts() {
  const {LineChart} = PlexusCharts;
  const milliseconds = (value) => PlexusCharts.formatNumber(value);
  dashboard.charts = {
    qps: new LineChart($("chart-qps"), [
      {key: "pg", name: "SQL (pgwire)", color: "#2f6fde"},
      {key: "resp", name: "Redis (RESP)", color: "#d9480f"},
      {key: "http", name: "HTTP", color: "#2b8a3e"},
      {key: "httpsql", name: "SQL (HTTP API)", color: "#0b7285"},
    ]),
    latency: new LineChart($("chart-latency"), [
      {key: "pg50", name: "SQL p50", color: "#74a0ef"},
      {key: "pg99", name: "SQL p99", color: "#1c4fae"},
      {key: "resp50", name: "Redis p50", color: "#f0a36f"},
      {key: "resp99", name: "Redis p99", color: "#a33a0b"},
      {key: "http99", name: "HTTP p99", color: "#2b8a3e"},
    ], {format: milliseconds}),
    connections: new LineChart($("chart-connections"), [
      {key: "pg", name: "pgwire", color: "#2f6fde"},
      {key: "resp", name: "RESP", color: "#d9480f"},
      {key: "http", name: "HTTP", color: "#2b8a3e"},
    ]),
    cache: new LineChart($("chart-cache"), [
      {key: "ratio", name: "hits / reads", color: "#7048e8"},
    ], {max: 1, format: (v) => `${Math.round(v * 100)}%`}),
  };
}

function latencyMilliseconds(previous, current, name, q) {
  const {buckets, bucketIncrease, quantile} = PlexusMetrics;
  const now = buckets(current, name);
  const observed = previous ? bucketIncrease(buckets(previous, name), now) : now;
  const seconds = quantile(q, observed);
  return seconds === null ? null : seconds * 1000;
}

function cacheHitRatio(previous, current) {
  const {total} = PlexusMetrics;
  const hits = "plexus_rocksdb_block_cache_hits_total";
  const misses = "plexus_rocksdb_block_cache_misses_total";
  let hitCount = total(current, hits);
  let missCount = total(current, misses);
  if (hitCount === null || missCount === null) return null;
  if (previous && total(previous, hits) !== null) {
    const hitDelta = hitCount - total(previous, hits);
    const missDelta = missCount - total(previous, misses);
    // No reads since the last scrape: show the ratio since start instead of a gap.
    if (hitDelta + missDelta > 0 && hitDelta >= 0 && missDelta >= 0) {
      hitCount = hitDelta;
      missCount = missDelta;
    }
  }
  return hitCount + missCount > 0 ? hitCount / (hitCount + missCount) : null;
}

async function pollMetrics() {
  let text;
  try {
    const response = await fetch("/metrics", {cache: "no-store"});
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    text = await response.text();
  } catch (error) {
    $("server-status").textContent = `server unreachable (${error.message})`;
    $("server-status").className = "status down";
    return;
  }
  $("server-status").textContent = "connected";
  $("server-status").className = "status ok";
  const {parse, rate, total} = PlexusMetrics;
  const current = parse(text);
  const now = Date.now();
  const previous = dashboard.previous;
  const seconds = (now - dashboard.previousTime) / 1000;
  const charts = dashboard.charts;
  charts.qps.push(now, {
    pg: rate(previous, current, "plexus_pg_statements_total", {}, seconds),
    resp: rate(previous, current, "plexus_resp_commands_total", {}, seconds),
    http: rate(previous, current, "plexus_http_requests_total", {}, seconds),
    httpsql: rate(previous, current, "plexus_http_sql_statements_total", {}, seconds),
  });
  charts.latency.push(now, {
    pg50: latencyMilliseconds(previous, current, "plexus_pg_statement_duration_seconds", 0.5),
    pg99: latencyMilliseconds(previous, current, "plexus_pg_statement_duration_seconds", 0.99),
    resp50: latencyMilliseconds(previous, current, "plexus_resp_command_duration_seconds", 0.5),
    resp99: latencyMilliseconds(previous, current, "plexus_resp_command_duration_seconds", 0.99),
    http99: latencyMilliseconds(previous, current, "plexus_http_request_duration_seconds", 0.99),
  });
  charts.connections.push(now, {
    pg: total(current, "plexus_connections", {protocol: "pgwire"}),
    resp: total(current, "plexus_connections", {protocol: "resp"}),
    http: total(current, "plexus_connections", {protocol: "http"}),
  });
  charts.cache.push(now, {ratio: cacheHitRatio(previous, current)});
  dashboard.previous = current;
  dashboard.previousTime = now;
  const updated = new Date(now).toLocaleTimeString();
  $("dashboard-status").textContent = `updated ${updated}, every ${kPollMilliseconds / 1000} s`;
  document.body.dataset.metricsScrapes = String(Number(document.body.dataset.metricsScrapes || 0) + 1);
}

function start() {
  $("run").addEventListener("click", runEditor);
  $("sql").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      runEditor();
    }
  });
  $("schema-refresh").addEventListener("click", loadSchema);
  createCharts();
  loadSchema();
  pollMetrics();
  setInterval(pollMetrics, kPollMilliseconds);
}

document.addEventListener("DOMContentLoaded", start);
