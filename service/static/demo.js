// Demo page: calls the public API (POST v1/analyze) and shows the result. URLs are relative to the page, so
// the page also works behind a proxy that serves the service under a path prefix.
"use strict";

(() => {
  const TYPE_NAMES = { PER: "person", ORG: "organisation", LOC: "location", MISC: "other" };
  const POSITION_SYMBOLS = { positive: "+", negative: "\u2212", neutral: "=" };
  const MENTION_KIND_NAMES = { name: "name", pronoun: "pronoun", nominal: "description" };
  const QUOTE_PREVIEW_CHARS = 90;

  const byId = (id) => document.getElementById(id);
  const form = byId("analyze-form");
  const textArea = byId("article-text");
  const sampleButton = byId("load-sample");
  const analyzeButton = byId("analyze-button");
  const includeLocations = byId("include-locations");
  const apiKeyDetails = byId("api-key-details");
  const apiKey = byId("api-key");
  const statusLine = byId("status");
  const errorBox = byId("error");
  const results = byId("results");
  const runInfo = byId("run-info");
  const annotatedText = byId("annotated-text");
  const evidenceNote = byId("evidence-note");
  const actorRows = byId("actor-table").querySelector("tbody");
  const entityRows = byId("entity-table").querySelector("tbody");
  const noActors = byId("no-actors");
  const actorGraph = byId("actor-graph");
  const relationList = byId("relation-list");
  const noRelations = byId("no-relations");

  const percent = (value) => `${Math.round(value * 100)}%`;

  function element(tag, properties = {}, children = []) {
    const node = Object.assign(document.createElement(tag), properties);
    node.append(...children);
    return node;
  }

  function setStatus(message) {
    statusLine.textContent = message;
  }

  function showError(message, details = []) {
    errorBox.replaceChildren(element("strong", { textContent: message }));
    if (details.length) {
      errorBox.append(element("ul", {}, details.map((line) => element("li", { textContent: line }))));
    }
    errorBox.hidden = false;
  }

  function clearError() {
    errorBox.hidden = true;
    errorBox.replaceChildren();
  }

  // --- API errors -------------------------------------------------------------------------------------------

  /** Field messages of a 422 problem ({errors: {json: {text: ["..."]}}}) as "text: ..." lines. */
  function fieldMessages(errors, path = []) {
    if (Array.isArray(errors)) {
      return errors.flatMap((item) =>
        typeof item === "string" ? [`${path.join(".") || "body"}: ${item}`] : fieldMessages(item, path),
      );
    }
    if (errors && typeof errors === "object") {
      return Object.entries(errors).flatMap(([key, value]) =>
        fieldMessages(value, key === "json" && path.length === 0 ? path : [...path, key]),
      );
    }
    return [];
  }

  /** A readable sentence (and detail lines) for an error response; the body is problem+json when it is ours. */
  async function describeProblem(response) {
    let problem = {};
    try {
      problem = await response.json();
    } catch {
      problem = {};
    }
    const status = response.status;
    const detail = problem.detail || response.statusText || "";
    const details = fieldMessages(problem.errors);
    const retry = response.headers.get("Retry-After");
    const wait = retry ? ` Try again in ${retry} seconds.` : "";
    if (status === 401) {
      apiKeyDetails.open = true;
      return { message: "This service needs an API key (HTTP 401): enter it under \u201cAPI key\u201d.", details };
    }
    if (status === 413) {
      return { message: `This article is too large for the service (HTTP 413). ${detail}`, details };
    }
    if (status === 422) {
      return { message: `The service cannot analyse this text (HTTP 422). ${details.length ? "" : detail}`, details };
    }
    if (status === 503) {
      return { message: `The models are not ready (HTTP 503). ${detail}${wait}`, details };
    }
    const title = problem.title || "Request failed";
    return { message: `${title} (HTTP ${status}). ${detail}${wait}`, details };
  }

  // --- Annotated text ---------------------------------------------------------------------------------------
  // The text is drawn in nested layers, outermost first: evidence sentences, quotes, pronoun and description
  // mentions, entities. Within a layer spans never overlap; a span that crosses an outer one is cut in pieces
  // that share its data attributes, so every character of the text is drawn exactly once, in order.

  function sentenceId(span) {
    return `sentence-${span.start}-${span.end}`;
  }

  function spanKey(span) {
    return `${span.start}-${span.end}`;
  }

  /** ``spans`` in text order without overlaps (of two overlapping spans the earlier, longer one stays). */
  function nonOverlapping(spans) {
    const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
    const kept = [];
    for (const span of sorted) {
      if (span.end > span.start && (!kept.length || span.start >= kept[kept.length - 1].end)) kept.push(span);
    }
    return kept;
  }

  /** Distinct evidence sentences in text order, without overlaps, so that each can be one element. */
  function evidenceSpans(actors) {
    const unique = new Map();
    for (const actor of actors) {
      for (const stance of actor.stances) {
        unique.set(sentenceId(stance.evidence), stance.evidence);
      }
    }
    return nonOverlapping(unique.values());
  }

  /** Index of the first span (sorted, non-overlapping) that ends after ``offset``. */
  function firstEndingAfter(spans, offset) {
    let low = 0;
    let high = spans.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (spans[middle].end <= offset) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Append text[from:to] to parent, each layer's spans in that range as elements holding the inner layers. */
  function appendLayers(parent, text, from, to, layers) {
    if (!layers.length) {
      if (to > from) parent.append(text.slice(from, to));
      return;
    }
    const [layer, ...inner] = layers;
    let cursor = from;
    for (let i = firstEndingAfter(layer.spans, from); i < layer.spans.length; i += 1) {
      const span = layer.spans[i];
      if (span.start >= to) break;
      const start = Math.max(span.start, cursor);
      const end = Math.min(span.end, to);
      appendLayers(parent, text, cursor, start, inner);
      const node = layer.make(span);
      appendLayers(node, text, start, end, inner);
      parent.append(node);
      cursor = end;
    }
    appendLayers(parent, text, cursor, to, inner);
  }

  function entityMark(entity, nameOf) {
    const mark = element("mark", {
      className: `entity entity-${entity.type}`,
      title: `${TYPE_NAMES[entity.type] || entity.type} (${entity.type}), confidence ${percent(entity.confidence)}`,
    });
    mark.dataset.type = entity.type;
    mark.dataset.confidence = entity.confidence.toFixed(3);
    mark.dataset.span = spanKey(entity);
    const actor = nameOf.get(spanKey(entity));
    if (actor) {
      mark.dataset.actor = actor.id;
      mark.title += `; name of ${actor.name}`;
    }
    return mark;
  }

  function mentionSpan(mention) {
    const kindName = MENTION_KIND_NAMES[mention.kind];
    const node = element("span", {
      className: `mention mention-${mention.kind}`,
      title: `${kindName} referring to ${mention.actor.name}`,
    });
    node.dataset.kind = mention.kind;
    node.dataset.label = kindName;
    node.dataset.actor = mention.actor.id;
    node.dataset.span = spanKey(mention);
    return node;
  }

  function speakerLabel(quote, actorsById) {
    const cue = quote.cue ? `; cue \u201c${quote.cue.text}\u201d` : "";
    if (quote.speaker) return `Said by ${actorsById.get(quote.speaker)?.name || quote.speaker}${cue}`;
    if (quote.speaker_text) return `Said by \u201c${quote.speaker_text.text}\u201d (not an actor)${cue}`;
    return `Speaker not found${cue}`;
  }

  /** Hovering a quote shows its speaker (title) and marks the words that name the speaker in the text. */
  function quoteSpan(quote, actorsById) {
    const node = element("span", { className: `quote quote-${quote.kind}`, title: speakerLabel(quote, actorsById) });
    node.dataset.quote = String(quote.index);
    node.dataset.kind = quote.kind;
    if (quote.speaker) node.dataset.speaker = quote.speaker;
    const speakerWords = () =>
      quote.speaker_text ? annotatedText.querySelectorAll(`[data-span="${spanKey(quote.speaker_text)}"]`) : [];
    node.addEventListener("mouseenter", () => speakerWords().forEach((words) => words.classList.add("is-speaker")));
    node.addEventListener("mouseleave", () => speakerWords().forEach((words) => words.classList.remove("is-speaker")));
    return node;
  }

  function renderAnnotatedText(text, result) {
    const actorsById = new Map(result.actors.map((actor) => [actor.id, actor]));
    const mentions = result.actors.flatMap((actor) => actor.mentions.map((mention) => ({ ...mention, actor })));
    const nameOf = new Map(mentions.filter((m) => m.kind === "name").map((m) => [spanKey(m), m.actor]));
    const layers = [
      {
        spans: evidenceSpans(result.actors),
        make: (span) => element("span", { className: "sentence", id: sentenceId(span), tabIndex: -1 }),
      },
      { spans: nonOverlapping(result.quotes), make: (quote) => quoteSpan(quote, actorsById) },
      { spans: nonOverlapping(mentions.filter((m) => m.kind !== "name")), make: mentionSpan },
      { spans: nonOverlapping(result.entities), make: (entity) => entityMark(entity, nameOf) },
    ];
    annotatedText.replaceChildren();
    appendLayers(annotatedText, text, 0, text.length, layers);
  }

  /** The same entities as a table: their confidence for keyboard and screen-reader users, who cannot hover. */
  function renderEntityTable(entities) {
    const rows = [...entities]
      .sort((a, b) => a.start - b.start)
      .map((entity) =>
        element("tr", {}, [
          element("td", { textContent: entity.text }),
          element("td", { textContent: entity.type, title: TYPE_NAMES[entity.type] || entity.type }),
          element("td", { className: "number", textContent: percent(entity.confidence) }),
          element("td", { className: "number", textContent: `${entity.start}\u2013${entity.end}` }),
        ]),
      );
    entityRows.replaceChildren(...rows);
  }

  // --- Actor table ------------------------------------------------------------------------------------------

  /** Undo the previous chip or quote selection: one thing is highlighted in the text at a time. */
  function clearSelection() {
    for (const pressed of actorRows.querySelectorAll('button[aria-pressed="true"]')) {
      pressed.setAttribute("aria-pressed", "false");
    }
    for (const marked of annotatedText.querySelectorAll(".is-evidence, .is-selected")) {
      marked.classList.remove("is-evidence", "is-selected");
    }
  }

  /** What a stance is about: its topic, or the other actor ("toward Vladimir Poetin"). */
  function stanceSubject(stance) {
    return stance.target ? `toward ${stance.target_name}` : `on ${stance.topic}`;
  }

  /**
   * How sure the service is of a stance: its confidence, and for a neutral one the side it leans to when that side
   * outscores neutral (a side below the model's threshold stays neutral, but "neutral 30 %" alone would hide a
   * 60 % lean).
   */
  function certainty(stance) {
    const side = stance.scores.positive >= stance.scores.negative ? "positive" : "negative";
    const lean =
      stance.position === "neutral" && stance.scores[side] > stance.scores.neutral
        ? `, leans ${side} ${percent(stance.scores[side])}`
        : "";
    return `confidence ${percent(stance.confidence)}${lean}`;
  }

  function showEvidence(actor, stance, chip) {
    clearSelection();
    chip.setAttribute("aria-pressed", "true");
    evidenceNote.textContent =
      `${actor.name} ${stanceSubject(stance)}: ${stance.position} (${certainty(stance)}). ` +
      `Evidence: \u201c${stance.evidence.text}\u201d`;
    evidenceNote.hidden = false;
    const sentence = byId(sentenceId(stance.evidence));
    if (sentence) {
      sentence.classList.add("is-evidence");
      sentence.scrollIntoView({ block: "center" });
      sentence.focus({ preventScroll: true });
    }
  }

  /** Highlight every piece of the quote in the text (a quote may run over several sentences) and name it. */
  function showQuote(actor, quote, button) {
    clearSelection();
    button.setAttribute("aria-pressed", "true");
    const cue = quote.cue ? `, cue \u201c${quote.cue.text}\u201d` : "";
    evidenceNote.textContent = `${actor.name} (${quote.kind} quote${cue}): \u201c${quote.text}\u201d`;
    evidenceNote.hidden = false;
    const pieces = annotatedText.querySelectorAll(`.quote[data-quote="${quote.index}"]`);
    pieces.forEach((piece) => piece.classList.add("is-selected"));
    if (pieces.length) {
      pieces[0].tabIndex = -1;
      pieces[0].scrollIntoView({ block: "center" });
      pieces[0].focus({ preventScroll: true });
    }
  }

  /** A chip: an issue stance reads "immigration − negative", a stance toward an actor "→ Poetin + positive". */
  function stanceChip(actor, stance) {
    const subject = stance.target ? `\u2192 ${stance.target_name}` : stance.topic;
    const chip = element("button", {
      type: "button",
      className: `chip chip-${stance.position}${stance.target ? " chip-actor" : ""}`,
      textContent: `${subject} ${POSITION_SYMBOLS[stance.position] || ""} ${stance.position}`,
      title: `Evidence: \u201c${stance.evidence.text}\u201d (${certainty(stance)})`,
    });
    chip.setAttribute("aria-pressed", "false");
    if (stance.target) {
      chip.dataset.target = stance.target;
    } else {
      chip.dataset.topic = stance.topic;
    }
    chip.dataset.position = stance.position;
    chip.addEventListener("click", () => showEvidence(actor, stance, chip));
    return chip;
  }

  function preview(text) {
    return text.length > QUOTE_PREVIEW_CHARS ? `${text.slice(0, QUOTE_PREVIEW_CHARS - 1)}\u2026` : text;
  }

  function quoteButton(actor, quote) {
    const button = element("button", {
      type: "button",
      className: `quote-button quote-${quote.kind}`,
      textContent: `\u201c${preview(quote.text)}\u201d`,
      title: `${quote.kind === "direct" ? "Direct quote" : "Reported speech"}: press to find it in the text`,
    });
    button.setAttribute("aria-pressed", "false");
    button.dataset.quote = String(quote.index);
    button.addEventListener("click", () => showQuote(actor, quote, button));
    return button;
  }

  /** The actor's other names, and how else the text refers to it, under its name. */
  function mentionSummary(actor) {
    const distinct = (kind) => [
      ...new Set(actor.mentions.filter((m) => m.kind === kind && m.text !== actor.name).map((m) => m.text)),
    ];
    const parts = [
      ["also", distinct("name")],
      ["described as", distinct("nominal")],
      ["pronouns", [...new Set(distinct("pronoun").map((text) => text.toLowerCase()))]],
    ];
    return parts
      .filter(([, texts]) => texts.length)
      .map(([label, texts]) => element("span", { className: "actor-variants", textContent: `${label}: ${texts.join(", ")}` }));
  }

  function mentionCounts(actor) {
    const count = (kind) => actor.mentions.filter((m) => m.kind === kind).length;
    return Object.entries(MENTION_KIND_NAMES)
      .map(([kind, name]) => `${count(kind)} ${name}`)
      .join(", ");
  }

  function actorRow(actor, quoteIndex) {
    const nameCell = element("td", {}, [
      element("span", { className: "actor-name", textContent: actor.name }),
      ...mentionSummary(actor),
    ]);
    const meter = element("meter", { min: 0, max: 1, value: actor.salience });
    meter.setAttribute("aria-label", `Salience of ${actor.name}`);
    const stances = actor.stances.length
      ? element("div", { className: "chips" }, actor.stances.map((stance) => stanceChip(actor, stance)))
      : element("span", { className: "no-stance", textContent: "none found" });
    const row = element("tr", {}, [
      nameCell,
      element("td", {}, [
        element("span", {
          className: `entity-swatch entity-${actor.type}`,
          textContent: actor.type,
          title: TYPE_NAMES[actor.type] || actor.type,
        }),
      ]),
      element("td", { className: "number", textContent: String(actor.mentions.length), title: mentionCounts(actor) }),
      element("td", {}, [
        element("span", { className: "salience" }, [meter, element("span", { textContent: percent(actor.salience) })]),
      ]),
      element("td", {}, [stances]),
    ]);
    row.className = "actor-row";
    row.dataset.actorId = actor.id;
    return actor.quotes.length ? [row, quoteRow(actor, quoteIndex)] : [row];
  }

  /** The actor's quotes, in a row of their own right under the actor, as wide as the table. */
  function quoteRow(actor, quoteIndex) {
    const buttons = actor.quotes.map((quote) =>
      element("li", {}, [quoteButton(actor, { ...quote, index: quoteIndex.get(spanKey(quote)) })]),
    );
    const cell = element("td", { colSpan: 5 }, [
      element("span", { className: "quote-label", textContent: `${actor.name} says:` }),
      element("ul", { className: "quote-list" }, buttons),
    ]);
    const row = element("tr", { className: "quote-row" }, [cell]);
    row.dataset.actorId = actor.id;
    return row;
  }

  function renderActors(result) {
    const quoteIndex = new Map(result.quotes.map((quote) => [spanKey(quote), quote.index]));
    const ordered = [...result.actors].sort((a, b) => b.salience - a.salience);
    actorRows.replaceChildren(...ordered.flatMap((actor) => actorRow(actor, quoteIndex)));
    noActors.hidden = result.actors.length > 0;
  }

  // --- Actor graph ------------------------------------------------------------------------------------------
  // Who supports or criticises whom: the non-neutral actor stances as arrows between actors on an ellipse,
  // drawn as inline SVG from the response (no library). Each arrow carries its sign as text (+ or −), so colour
  // is never needed to read it, and the same relations are listed as sentences below the graph.

  const SVG_NS = "http://www.w3.org/2000/svg";
  const GRAPH_WIDTH = 640;
  const GRAPH_HEIGHT = 380;
  const GRAPH_MARGIN = 8; // room around what is drawn, for the strokes and arrowheads that getBBox leaves out
  const NODE_RADIUS = 7;
  const PARALLEL_OFFSET = 5; // A→B and B→A run side by side instead of on top of each other
  const RELATION_VERBS = { positive: "supports", negative: "criticises" };

  function svgElement(tag, attributes = {}, children = []) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    node.append(...children);
    return node;
  }

  function relations(result) {
    return result.actors.flatMap((actor) =>
      actor.stances
        .filter((stance) => stance.target && stance.position !== "neutral")
        .map((stance) => ({ source: actor, stance })),
    );
  }

  /** Node positions: every actor in a relation, in order of first appearance, evenly on an ellipse. */
  function graphNodes(edges) {
    const names = new Map();
    for (const { source, stance } of edges) {
      names.set(source.id, source.name);
      names.set(stance.target, stance.target_name);
    }
    const ids = [...names.keys()];
    const radiusX = GRAPH_WIDTH / 2 - 110;
    const radiusY = GRAPH_HEIGHT / 2 - 40;
    return new Map(
      ids.map((id, index) => {
        const angle = (2 * Math.PI * index) / ids.length - Math.PI / 2;
        const x = GRAPH_WIDTH / 2 + radiusX * Math.cos(angle);
        const y = GRAPH_HEIGHT / 2 + radiusY * Math.sin(angle);
        return [id, { id, name: names.get(id), x, y }];
      }),
    );
  }

  function arrowMarker(position) {
    return svgElement("marker", {
      id: `arrow-${position}`,
      viewBox: "0 0 10 10",
      refX: 10,
      refY: 5,
      markerWidth: 7,
      markerHeight: 7,
      orient: "auto-start-reverse",
      class: `arrow arrow-${position}`,
    }, [svgElement("path", { d: "M 0 0 L 10 5 L 0 10 z" })]);
  }

  function edgeElement(edge, from, to) {
    const dx = to.x - from.x;
    const dy = to.y - from.y;
    const length = Math.hypot(dx, dy) || 1;
    const [ux, uy] = [dx / length, dy / length];
    const [ox, oy] = [-uy * PARALLEL_OFFSET, ux * PARALLEL_OFFSET];
    const start = { x: from.x + ux * NODE_RADIUS + ox, y: from.y + uy * NODE_RADIUS + oy };
    const end = { x: to.x - ux * (NODE_RADIUS + 2) + ox, y: to.y - uy * (NODE_RADIUS + 2) + oy };
    const { stance } = edge;
    const label = `${edge.source.name} ${RELATION_VERBS[stance.position]} ${stance.target_name}`;
    return svgElement("g", { class: `edge edge-${stance.position}`, "data-source": edge.source.id, "data-target": stance.target }, [
      svgElement("title", {}, [
        `${label} (confidence ${percent(stance.confidence)}). Evidence: \u201c${stance.evidence.text}\u201d`,
      ]),
      svgElement("line", {
        x1: start.x, y1: start.y, x2: end.x, y2: end.y, "marker-end": `url(#arrow-${stance.position})`,
      }),
      svgElement("text", { x: (start.x + end.x) / 2 + ox * 2, y: (start.y + end.y) / 2 + oy * 2, class: "edge-sign" }, [
        POSITION_SYMBOLS[stance.position],
      ]),
    ]);
  }

  function nodeElement(node) {
    const anchor = node.x < GRAPH_WIDTH / 2 - 1 ? "end" : node.x > GRAPH_WIDTH / 2 + 1 ? "start" : "middle";
    const shift = anchor === "end" ? -NODE_RADIUS - 4 : anchor === "start" ? NODE_RADIUS + 4 : 0;
    const below = anchor === "middle" && node.y > GRAPH_HEIGHT / 2;
    return svgElement("g", { class: "node", "data-actor": node.id }, [
      svgElement("circle", { cx: node.x, cy: node.y, r: NODE_RADIUS }),
      svgElement("text", {
        x: node.x + shift,
        y: node.y + (anchor === "middle" ? (below ? 22 : -14) : 4),
        "text-anchor": anchor,
      }, [node.name]),
    ]);
  }

  function renderGraph(result) {
    const edges = relations(result);
    const nodes = graphNodes(edges);
    const graph = svgElement("svg", {
      viewBox: `0 0 ${GRAPH_WIDTH} ${GRAPH_HEIGHT}`,
      role: "img",
      "aria-label": `${edges.length} relations between ${nodes.size} actors; listed below the graph`,
    }, [
      svgElement("defs", {}, ["positive", "negative"].map(arrowMarker)),
      ...edges.map((edge) => edgeElement(edge, nodes.get(edge.source.id), nodes.get(edge.stance.target))),
      ...[...nodes.values()].map(nodeElement),
    ]);
    actorGraph.replaceChildren(...(edges.length ? [graph] : []));
    actorGraph.hidden = !edges.length;
    relationList.replaceChildren(
      ...edges.map(({ source, stance }) =>
        element("li", {
          className: `relation relation-${stance.position}`,
          textContent: `${source.name} ${RELATION_VERBS[stance.position]} ${stance.target_name} ` +
            `(${POSITION_SYMBOLS[stance.position]}, confidence ${percent(stance.confidence)})`,
          title: `Evidence: \u201c${stance.evidence.text}\u201d`,
        }),
      ),
    );
    noRelations.hidden = edges.length > 0;
  }

  /**
   * Widen the graph's viewBox to all that is drawn, plus a margin: a name beside a node near the edge of the
   * frame may be longer than the room left to it, and a name is never cut or shortened. The frame stays in
   * the middle, so a graph never gets narrower (and so taller) than the frame. Text has a size only once it
   * is laid out, so this runs after the graph is displayed.
   */
  function fitGraph() {
    const graph = actorGraph.querySelector("svg");
    if (!graph) return;
    const drawn = graph.getBBox();
    if (!drawn.width) return; // not displayed after all: keep the frame
    const outX = Math.max(0, GRAPH_MARGIN - drawn.x, drawn.x + drawn.width + GRAPH_MARGIN - GRAPH_WIDTH);
    const outY = Math.max(0, GRAPH_MARGIN - drawn.y, drawn.y + drawn.height + GRAPH_MARGIN - GRAPH_HEIGHT);
    graph.setAttribute("viewBox", `${-outX} ${-outY} ${GRAPH_WIDTH + 2 * outX} ${GRAPH_HEIGHT + 2 * outY}`);
  }

  // --- Run information --------------------------------------------------------------------------------------

  function shortModelId(id) {
    return id.split("/").slice(-2).join("/");
  }

  function renderRunInfo(result, seconds, requestId, characters) {
    const model = (info) => element("dd", { textContent: `${shortModelId(info.id)} (${info.version})`, title: info.id });
    const item = (term, value) =>
      element("div", {}, [
        element("dt", { textContent: term }),
        value instanceof Node ? value : element("dd", { textContent: value }),
      ]);
    runInfo.replaceChildren(
      item("Time", `${seconds.toFixed(2)} s`),
      item("Characters", characters.toLocaleString("en")),
      item("Entities", String(result.entities.length)),
      item("Actors", String(result.actors.length)),
      item("Quotes", String(result.quotes.length)),
      item("NER model", model(result.models.ner)),
      item("Stance model", model(result.models.stance)),
      item("Actor-stance model", model(result.models.actor_stance)),
      ...(result.models.quotes ? [item("Quote tagger", model(result.models.quotes))] : []),
      ...(result.models.coref ? [item("Reference ranker", model(result.models.coref))] : []),
      item("Request id", requestId || "none"),
    );
  }

  // --- Actions ----------------------------------------------------------------------------------------------

  async function loadSample() {
    clearError();
    setStatus("Loading the sample article\u2026");
    try {
      const response = await fetch("demo/sample");
      if (!response.ok) {
        const { message } = await describeProblem(response);
        setStatus("");
        showError(message);
        return;
      }
      textArea.value = await response.text();
      setStatus(`Sample article loaded (${textArea.value.length.toLocaleString("en")} characters).`);
      textArea.setSelectionRange(0, 0);
      textArea.focus();
      textArea.scrollTop = 0;
    } catch {
      setStatus("");
      showError("Could not reach the service to load the sample article.");
    }
  }

  async function analyze(event) {
    event.preventDefault();
    clearError();
    const text = textArea.value;
    const actorTypes = includeLocations.checked ? ["PER", "ORG", "LOC"] : ["PER", "ORG"];
    analyzeButton.disabled = true;
    results.setAttribute("aria-busy", "true");
    setStatus("Analysing\u2026");
    const started = performance.now();
    try {
      const headers = { "Content-Type": "application/json", Accept: "application/json" };
      if (apiKey.value.trim()) headers["X-API-Key"] = apiKey.value.trim();
      const response = await fetch("v1/analyze", {
        method: "POST",
        headers,
        body: JSON.stringify({ text, options: { actor_types: actorTypes } }),
      });
      const seconds = (performance.now() - started) / 1000;
      if (!response.ok) {
        const { message, details } = await describeProblem(response);
        setStatus("");
        showError(message, details);
        results.hidden = true; // what is shown always belongs to the last text sent
        return;
      }
      const result = await response.json();
      result.quotes.forEach((quote, index) => {
        quote.index = index;
      });
      renderRunInfo(result, seconds, response.headers.get("X-Request-ID"), text.length);
      renderAnnotatedText(text, result);
      renderEntityTable(result.entities);
      renderActors(result);
      renderGraph(result);
      evidenceNote.hidden = true;
      results.hidden = false;
      fitGraph();
      setStatus(
        `Analysed in ${seconds.toFixed(2)} s: ${result.entities.length} entities, ${result.actors.length} actors, ` +
          `${result.quotes.length} quotes.`,
      );
    } catch {
      setStatus("");
      showError("Could not reach the service. Is it running?");
    } finally {
      analyzeButton.disabled = false;
      results.removeAttribute("aria-busy");
    }
  }

  /** Tell the visitor up front when the models are still loading (or failed), instead of after a submit. */
  async function reportReadiness() {
    try {
      const response = await fetch("readyz");
      if (response.ok) return;
      const body = await response.json();
      setStatus(body.status === "loading" ? "The models are still loading; analysis will be possible shortly." : "");
      if (body.status === "failed") showError(`The models failed to load: ${body.detail || "see the server log"}.`);
    } catch {
      showError("Could not reach the service. Is it running?");
    }
  }

  form.addEventListener("submit", analyze);
  sampleButton.addEventListener("click", loadSample);
  textArea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });
  reportReadiness();
})();
