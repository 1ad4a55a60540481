from aides.catalogue.rendu import markdown_en_html


def test_markdown_is_rendered():
    assert markdown_en_html("Une aide **utile**") == "<p>Une aide <strong>utile</strong></p>"


def test_a_script_in_a_description_renders_inert():
    html = markdown_en_html('Avant <script>alert("x")</script> après')
    assert "<script" not in html
    assert "alert" not in html
    assert "Avant" in html and "après" in html


def test_event_handlers_and_javascript_links_are_removed():
    html = markdown_en_html(
        '<img src="x" onerror="alert(1)"> [clic](javascript:alert(1)) [ok](https://hautsdefrance.fr)'
    )
    assert "onerror" not in html
    assert "javascript:" not in html
    assert 'href="https://hautsdefrance.fr"' in html
