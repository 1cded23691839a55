"""Breaking-news alerts: ``marketnews watch`` polls liquidations and price and drafts an ``alert`` article.

- ``interval``: the ``--every`` interval.
- ``rules``: pure: the trailing hourly average and the rules that fire (absolute, multiple, price move).
- ``history``: the polls and alerts kept in the desk database (migration 3).
- ``poll``: the cheap fetch a poll makes, and the full one an alert makes.
- ``watch``: the loop: poll, decide, draft, register, notify, cool down.
"""
