"""The editorial desk: the draft store, editors' actions and the review page.

Kept free of imports so that ``marketnews --help`` stays fast; see store.py,
actions.py, web.py.
"""
