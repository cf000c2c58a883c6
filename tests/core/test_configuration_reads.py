"""A request reads the merchant's configuration once, however many fields use it."""

TIERS = [{"name": "Bronze"}, {"name": "Silver"}, {"name": "Gold"}]


def aliases(count):
    return (
        "{ " + " ".join(f"t{n}: loyaltyTiers {{ name }}" for n in range(count)) + " }"
    )


def test_many_fields_reading_the_programme_cost_no_more_queries(
    anonymous_api, channel, count_queries
):
    with count_queries() as one:
        assert anonymous_api.data(aliases(1)) == {"t0": TIERS}
    with count_queries() as fifty:
        data = anonymous_api.data(aliases(50))

    assert data == {f"t{n}": TIERS for n in range(50)}
    assert len(fifty.captured_queries) == len(one.captured_queries)


def test_the_next_request_reads_a_changed_configuration(
    anonymous_api, channel, configure
):
    assert anonymous_api.data(aliases(2)) == {"t0": TIERS, "t1": TIERS}

    configure(channel, tiers="Member: 0, Friend: 100")

    both = [{"name": "Member"}, {"name": "Friend"}]
    assert anonymous_api.data(aliases(2)) == {"t0": both, "t1": both}
