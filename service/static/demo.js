// Demo page: calls the public API (POST v1/analyze) and shows the result. URLs are relative to the page, so
// the page also works behind a proxy that serves the service under a path prefix.
"use strict";

(() => {
  const TYPE_NAMES = { PER: "person", ORG: "organisation", LOC: "location", MISC: "other" };
  const POSITION_SYMBOLS = { positive: "+", negative: "\u2212", neutral: "=" };

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

  function sentenceId(span) {
    return `sentence-${span.start}-${span.end}`;
  }

  /** Distinct evidence sentences in text order, without overlaps, so that each can be one element. */
  function evidenceSpans(actors) {
    const unique = new Map();
    for (const actor of actors) {
      for (const stance of actor.stances) {
        unique.set(sentenceId(stance.evidence), stance.evidence);
      }
    }
    const spans = [...unique.values()].sort((a, b) => a.start - b.start || b.end - a.end);
    const kept = [];
    for (const span of spans) {
      if (!kept.length || span.start >= kept[kept.length - 1].end) kept.push(span);
    }
    return kept;
  }

  function entityMark(entity, text) {
    const mark = element("mark", {
      className: `entity entity-${entity.type}`,
      textContent: text,
      title: `${TYPE_NAMES[entity.type] || entity.type} (${entity.type}), confidence ${percent(entity.confidence)}`,
    });
    mark.dataset.type = entity.type;
    mark.dataset.confidence = entity.confidence.toFixed(3);
    return mark;
  }

  /** Append text[from:to] to parent, with the entities inside that range as marks (entities sorted by start). */
  function appendWithEntities(parent, text, from, to, entities) {
    let cursor = from;
    for (const entity of entities) {
      const start = Math.max(entity.start, from);
      const end = Math.min(entity.end, to);
      if (end <= start || start < cursor) continue;
      parent.append(text.slice(cursor, start), entityMark(entity, text.slice(start, end)));
      cursor = end;
    }
    parent.append(text.slice(cursor, to));
  }

  function renderAnnotatedText(text, entities, actors) {
    const sorted = [...entities].sort((a, b) => a.start - b.start);
    annotatedText.replaceChildren();
    let cursor = 0;
    for (const span of evidenceSpans(actors)) {
      appendWithEntities(annotatedText, text, cursor, span.start, sorted);
      const sentence = element("span", { className: "sentence", id: sentenceId(span), tabIndex: -1 });
      appendWithEntities(sentence, text, span.start, span.end, sorted);
      annotatedText.append(sentence);
      cursor = span.end;
    }
    appendWithEntities(annotatedText, text, cursor, text.length, sorted);
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

  function showEvidence(actor, stance, chip) {
    for (const pressed of actorRows.querySelectorAll('button.chip[aria-pressed="true"]')) {
      pressed.setAttribute("aria-pressed", "false");
    }
    for (const marked of annotatedText.querySelectorAll(".sentence.is-evidence")) {
      marked.classList.remove("is-evidence");
    }
    chip.setAttribute("aria-pressed", "true");
    evidenceNote.textContent =
      `${actor.name} on ${stance.topic}: ${stance.position} (confidence ${percent(stance.confidence)}). ` +
      `Evidence: \u201c${stance.evidence.text}\u201d`;
    evidenceNote.hidden = false;
    const sentence = byId(sentenceId(stance.evidence));
    if (sentence) {
      sentence.classList.add("is-evidence");
      sentence.scrollIntoView({ block: "center" });
      sentence.focus({ preventScroll: true });
    }
  }

  function stanceChip(actor, stance) {
    const chip = element("button", {
      type: "button",
      className: `chip chip-${stance.position}`,
      textContent: `${stance.topic} ${POSITION_SYMBOLS[stance.position] || ""} ${stance.position}`,
      title: `Evidence: \u201c${stance.evidence.text}\u201d (confidence ${percent(stance.confidence)})`,
    });
    chip.setAttribute("aria-pressed", "false");
    chip.dataset.topic = stance.topic;
    chip.dataset.position = stance.position;
    chip.addEventListener("click", () => showEvidence(actor, stance, chip));
    return chip;
  }

  function actorRow(actor) {
    const variants = [...new Set(actor.mentions.map((mention) => mention.text))].filter((name) => name !== actor.name);
    const nameCell = element("td", {}, [element("span", { className: "actor-name", textContent: actor.name })]);
    if (variants.length) {
      nameCell.append(element("span", { className: "actor-variants", textContent: `also: ${variants.join(", ")}` }));
    }
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
      element("td", { className: "number", textContent: String(actor.mentions.length) }),
      element("td", {}, [
        element("span", { className: "salience" }, [meter, element("span", { textContent: percent(actor.salience) })]),
      ]),
      element("td", {}, [stances]),
    ]);
    row.dataset.actorId = actor.id;
    return row;
  }

  function renderActors(actors) {
    const ordered = [...actors].sort((a, b) => b.salience - a.salience);
    actorRows.replaceChildren(...ordered.map(actorRow));
    noActors.hidden = actors.length > 0;
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
      item("NER model", model(result.models.ner)),
      item("Stance model", model(result.models.stance)),
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
      renderRunInfo(result, seconds, response.headers.get("X-Request-ID"), text.length);
      renderAnnotatedText(text, result.entities, result.actors);
      renderEntityTable(result.entities);
      renderActors(result.actors);
      evidenceNote.hidden = true;
      results.hidden = false;
      setStatus(
        `Analysed in ${seconds.toFixed(2)} s: ${result.entities.length} entities, ${result.actors.length} actors.`,
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
