"""A text that is clearly not Dutch gets a 422 problem naming its language, before any model runs; the option
``check_language: false`` analyses it anyway; the OpenAPI document describes the option."""

from tests.api.test_errors import assert_problem

ENGLISH = "President Trump said on Monday that the talks with China were going very well and that a deal was close."
DUTCH = "Premier Rutte zei donderdag in Den Haag dat het kabinet de plannen voor de zomer afrondt."


def test_an_english_article_is_422_naming_the_language(client):
    problem = assert_problem(client.post("/v1/analyze", json={"text": ENGLISH}), 422)
    assert "(en, probability" in problem["detail"] and "check_language" in problem["detail"]
    assert problem["errors"]["json"]["text"] == [problem["detail"]]


def test_check_language_false_analyses_it_anyway(client):
    response = client.post("/v1/analyze", json={"text": ENGLISH, "options": {"check_language": False}})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert {"entities", "actors", "quotes"} <= set(response.get_json())


def test_a_batch_names_each_refused_document_by_index(client):
    body = {"documents": [{"text": DUTCH}, {"text": ENGLISH}]}
    problem = assert_problem(client.post("/v1/analyze/batch", json=body), 422)
    assert problem["detail"].startswith("1 of 2 documents are not in Dutch (en)")
    assert list(problem["errors"]["json"]["documents"]) == ["1"]


def test_the_option_is_in_the_openapi_document(client):
    options = client.get("/openapi.json").get_json()["components"]["schemas"]["Options"]["properties"]
    assert options["check_language"]["type"] == "boolean" and options["check_language"]["default"] is True
