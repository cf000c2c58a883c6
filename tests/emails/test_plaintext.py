"""The plain-text part reads like a short letter, with no markup left."""

from saleor_kinship.emails.plaintext import html_to_text


def test_paragraphs_are_separated_by_a_blank_line_and_br_breaks_a_line():
    html = "<p>Hello Zoë,</p><p>Thank you.<br>See you soon.</p>"

    assert html_to_text(html) == "Hello Zoë,\n\nThank you.\nSee you soon."


def test_list_items_become_dash_lines_and_nested_ones_are_indented():
    html = "<p>Your order:</p><ul><li>Guji</li><li><p>Huila</p><ul><li>250 g</li>"
    html += "</ul></li></ul><p>Thanks</p>"

    assert html_to_text(html) == "Your order:\n\n- Guji\n- Huila\n  - 250 g\n\nThanks"


def test_an_empty_list_item_leaves_no_stray_dash():
    assert html_to_text("<ul><li></li><li>Guji</li></ul>") == "- Guji"


def test_links_show_their_address_after_the_text():
    html = (
        '<p>Visit <a href="https://shop.example/">our shop</a>, write to '
        '<a href="mailto:hi@shop.example">hi@shop.example</a> or go '
        '<a href="#top">up</a>. <a href="https://shop.example/faq"></a></p>'
    )

    assert html_to_text(html) == (
        "Visit our shop (https://shop.example/), write to hi@shop.example or go up."
        " https://shop.example/faq"
    )


def test_entities_are_unescaped_and_escaped_markup_stays_text():
    html = "<p>Fish &amp; chips &mdash; caf&eacute; &#8470;1 &lt;b&gt;b&lt;/b&gt;</p>"

    assert html_to_text(html) == "Fish & chips — café №1 <b>b</b>"


def test_whitespace_is_collapsed_as_a_browser_would():
    html = "<p>\n   Hello   <b> Zoë </b>\n\t,\n</p>\n\n\n<div>  next  </div>"

    assert html_to_text(html) == "Hello Zoë ,\n\nnext"


def test_scripts_styles_and_the_head_are_dropped():
    html = (
        "<html><head><title>Order</title><style>p {color: red}</style></head>"
        "<body><script>alert(1)</script><!-- note --><p>Hi</p></body></html>"
    )

    assert html_to_text(html) == "Hi"


def test_no_tags_are_left():
    html = '<div class="x"><span style="color:red">A</span><img src="a.png"> B</div>'

    assert html_to_text(html) == "A B"


def test_table_cells_share_a_line_and_rows_do_not():
    html = "<table><tr><td>Total</td><td>29.33&nbsp;USD</td></tr>"
    html += "<tr><th>Points</th><td>29</td></tr></table>"

    assert html_to_text(html) == "Total 29.33 USD\nPoints 29"


def test_preformatted_text_keeps_its_spacing():
    assert html_to_text("<pre>a\n  b</pre>") == "a\n  b"


def test_empty_html_gives_empty_text():
    assert html_to_text("") == ""
    assert html_to_text("<p> </p><br>") == ""
