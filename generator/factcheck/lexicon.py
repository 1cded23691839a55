"""Word lists the fact-check reads prose with: qualifiers, direction words, hedges, assets.

Data only; the rules that use them live in extract.py, bind.py, judge.py and claims.py.
"""

from __future__ import annotations

import re

# Qualifiers before a number; judge.py decides how each kind compares:
#   approx: within 5% either way; nearly: up to 5% below (never above); just_over: up to 5% above;
#   lower/upper: a bound ("over $1 billion", "less than 20%").
QUALIFIER_PHRASES: dict[str, str] = {
    **dict.fromkeys(("nearly", "almost", "close to", "just under", "just below", "just shy of", "a touch under",
                     "approaching"), "nearly"),
    **dict.fromkeys(("just over", "just above", "a touch over", "slightly over", "slightly above",
                     "slightly more than"), "just_over"),
    **dict.fromkeys(("about", "around", "roughly", "approximately", "approx", "approx.", "circa", "ca.",
                     "an estimated", "estimated", "some", "near", "in the region of", "on the order of",
                     "in the vicinity of", "~", "≈"), "approx"),
    **dict.fromkeys(("over", "more than", "above", "exceeding", "exceeded", "in excess of", "upwards of", "north of",
                     "at least", "beyond", "topping", "topped", "top", "tops", "past", "surpassing", "surpassed", "greater than",
                     "higher than", "as much as", "as many as", ">", ">=", "≥"), "lower"),
    **dict.fromkeys(("under", "less than", "below", "beneath", "fewer than", "at most", "up to", "south of",
                     "no more than", "lower than", "as little as", "as few as", "shy of", "<", "<=", "≤"), "upper"),
}
QUALIFIER_FILLERS = frozenset(("a", "an", "the", "just", "roughly"))
QUALIFIERS_AFTER: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\+|\s+or (?:more|above|higher)\b|\s+plus\b", re.I), "lower"),
    (re.compile(r"\s+or (?:so|thereabouts)\b|-ish\b", re.I), "approx"),
    (re.compile(r"\s+or (?:less|below|lower)\b", re.I), "upper"),
)
APPROX_PCT = 5.0  # "about"/"nearly": within this percent of the written value
BOUND_FACTOR = 2.0  # "over $1 billion" for an amount: the fact lies between the bound and twice it

COIN_UNITS = (
    "BTC", "XBT", "ETH", "SOL", "XRP", "BNB", "DOGE", "ADA", "USDT", "USDC", "LTC", "AVAX", "DOT", "LINK", "TRX",
    "bitcoins?", "ethers?", "coins", "tokens", "sats", "satoshis",
)

# Direction words: whether the words around a change say it rose or fell.
DOWN_WORDS = re.compile(
    r"\b(?:down|fell|fall(?:s|ing|en)?|drop(?:s|ped|ping)?|declin(?:e|es|ed|ing)|los(?:e|es|t|ing|s)|slid(?:e|es|ing)?|"
    r"slip(?:s|ped|ping)?|sank|sink(?:s|ing)?|plung(?:e|es|ed|ing)|tumbl(?:e|es|ed|ing)|slump(?:s|ed|ing)?|"
    r"dip(?:s|ped|ping)?|shed(?:s|ding)?|retreat(?:s|ed|ing)?|crash(?:es|ed|ing)?|plummet(?:s|ed|ing)?|"
    r"dump(?:s|ed|ing)?|lower|weaker|decrease[sd]?|contract(?:s|ed|ion)|red|sell-?off|negative|bearish)\b", re.I)
UP_WORDS = re.compile(
    r"\b(?:up|rose|ris(?:e|es|ing|en)|gain(?:s|ed|ing)?|climb(?:s|ed|ing)?|jump(?:s|ed|ing)?|surg(?:e|es|ed|ing)|"
    r"soar(?:s|ed|ing)?|rall(?:y|ies|ied|ying)|advanc(?:e|es|ed|ing)|add(?:s|ed|ing)?|rebound(?:s|ed|ing)?|"
    r"recover(?:s|ed|ing)?|bounc(?:e|es|ed|ing)|spik(?:e|es|ed|ing)|higher|stronger|increase[sd]?|green|positive|"
    r"bullish|pump(?:s|ed|ing)?|rocket(?:s|ed|ing)?)\b", re.I)
# The words that make a sentence worth reading for each claim check (Layout.sentences_with).
RSI_TRIGGER = frozenset(("oversold", "overbought", "neutral"))
FG_TRIGGER = frozenset(("fear", "greed", "sentiment"))
BREAK_TRIGGER = frozenset(("support", "resistance"))
SIDE_TRIGGER = frozenset(("above", "below", "overhead", "beneath"))
MIX_TRIGGER = frozenset(f"{stem}{end}" for stem in ("outnumber", "outweigh", "outpace", "exceed", "dwarf", "outstripp",
                                                    "eclipse", "outstrip") for end in ("", "s", "d", "ed")) | {"than"}
SPEECH_TRIGGER = frozenset((
    "said", "says", "say", "told", "tells", "noted", "notes", "added", "adds", "explained", "explains", "wrote", "writes",
    "commented", "comments", "argued", "argues", "warned", "warns", "stated", "states", "remarked", "observed",
    "predicted", "predicts", "cautioned", "cautions", "tweeted", "posted", "believe", "believes", "believed", "think",
    "thinks", "expect", "expects", "expected", "suggest", "suggests", "suggested", "claim", "claims", "claimed",
    "insist", "insists", "insisted", "contend", "contends", "emphasised", "emphasized", "stressed", "pointed", "put",
    "quipped", "according",
))
# Words of price movement, as a cue that a percentage is a price change.
CHANGE_WORDS = (
    r"\b(?:down|fell|fall(?:s|ing|en)?|drop(?:s|ped|ping)?|declin(?:e|es|ed|ing)|slid(?:e|es|ing)?|slip(?:s|ped|ping)?|"
    r"sank|sink(?:s|ing)?|plung(?:e|es|ed|ing)|tumbl(?:e|es|ed|ing)|slump(?:s|ed|ing)?|dip(?:s|ped|ping)?|"
    r"retreat(?:s|ed|ing)?|crash(?:es|ed|ing)?|plummet(?:s|ed|ing)?|lower|up|rose|ris(?:e|es|ing|en)|"
    r"gain(?:s|ed|ing)?|climb(?:s|ed|ing)?|jump(?:s|ed|ing)?|surg(?:e|es|ed|ing)|soar(?:s|ed|ing)?|"
    r"rall(?:y|ies|ied|ying)|advanc(?:e|es|ed|ing)|rebound(?:s|ed|ing)?|recover(?:s|ed|ing)?|spik(?:e|es|ed|ing)|higher)\b"
)
NEGATIVE_WORDS = re.compile(r"\b(?:negative|below zero|sub-zero|flipped negative|turned negative)\b", re.I)
POSITIVE_WORDS = re.compile(r"\b(?:positive|above zero|flipped positive|turned positive)\b", re.I)

# A clause with one of these talks about what could happen, not what did: its relations are not checked.
HYPOTHETICAL = re.compile(
    r"\b(?:would|could|might|may|if|unless|until|should|must|needs? to|need|target(?:s|ing)?|eyes?|eyeing|watch(?:ing)?|"
    r"expose|open the way|opens the way|aim(?:s|ing)?|likely|possible|potential(?:ly)?|scenario|toward|towards|"
    r"to reclaim|to hold|to defend|to break|to test|a (?:[\w-]+ )?(?:close|break|move|push|recovery|drop|fall|hold|"
    r"reclaim|retest|rejection|rebound|bounce)|losing|regain(?:ing)?)\b",
    re.I,
)
# A clause about what is expected: a price named in it is a level someone watches, not where the price is.
FORECAST = re.compile(
    r"\b(?:could|might|would|will|should|expects?|expected|expecting|forecasts?|forecast(?:ed|ing)|predicts?|"
    r"predicted|projects?|projected|targets?|targeting|eyes?|eyeing)\b|\b(?-i:may)\b|"
    r"\b(?:in|over|within)\s+the\s+(?:coming|next)\b|\bby\s+(?:year-end|the end of)\b|"
    r"\bbefore the (?:year|month|week|quarter) is out\b|\bnext (?:week|month|quarter|year)\b",
    re.I,
)
# "failed to stay above $65,000": the relation after these is denied, so it is not checked.
NEGATED = re.compile(r"\b(?:fail(?:s|ed)? to|unable to|could(?:n't| not)|did(?:n't| not)|does(?:n't| not)|not|never|"
                     r"no longer|struggl(?:es|ed|ing) to)\s+(?:\w+\s+){0,3}$", re.I)
# Generic statements and history: "such readings often...", "historically", "back in 2021".
GENERIC = re.compile(
    r"\b(?:often|typically|usually|tend(?:s)? to|historically|generally|commonly|such readings?|"
    # "in the past" is generic, "in the past hour" is a window
    r"in the past(?!\s+(?:\d+\s*|few\s+|several\s+)?(?:hours?|hour's|day|days|minutes?|sessions?|24)\b)|"
    r"readings? (?:like|of this kind)|classic|in general|as a rule|whenever)\b",
    re.I,
)
HISTORICAL = re.compile(
    r"\b(?:historically|back in|last (?:year|cycle|month|quarter)|previous (?:cycle|bull|bear)|prior cycle|"
    r"years? ago|months? ago|weeks? ago|the \d{4}\b|in \d{4}\b|since \d{4}\b|all-time|ATH|record (?:high|low|close|closing|peak|level))\b",
    re.I,
)
# The same on lower-cased text (Layout.lower), without re.I: three times faster where it runs on every sentence.
HISTORICAL_LOWER = re.compile(HISTORICAL.pattern.replace("ATH", "ath"))
GENERIC_LOWER = re.compile(GENERIC.pattern)
HYPOTHETICAL_LOWER = re.compile(HYPOTHETICAL.pattern)
NEGATED_LOWER = re.compile(NEGATED.pattern)

# Assets: a number in a clause about another asset is not about ours.
ASSET_ALIASES: dict[str, tuple[str, ...]] = {
    "BTC": ("bitcoin", "btc", "xbt", "btcusd", "btcusdt", "btc/usd", "btc/usdt", "bitcoin's", "btc's"),
    "ETH": ("ether", "ethereum", "eth", "ethusd", "eth/usd", "ether's", "ethereum's", "eth's"),
    "SOL": ("solana", "sol", "solana's", "sol's"),
    "XRP": ("xrp", "ripple", "xrp's"),
    "BNB": ("bnb", "binance coin"),
    "DOGE": ("dogecoin", "doge"),
    "ADA": ("cardano", "ada"),
    "AVAX": ("avalanche", "avax"),
    "DOT": ("polkadot", "dot"),
    "LINK": ("chainlink", "link"),
    "LTC": ("litecoin", "ltc"),
    "TRX": ("tron", "trx"),
    "TON": ("toncoin",),
    "SHIB": ("shiba inu", "shib"),
    "MATIC": ("polygon", "matic"),
    "PEPE": ("pepe",),
    "BCH": ("bitcoin cash", "bch"),
    "BSV": ("bitcoin sv", "bsv"),
    "BTG": ("bitcoin gold", "btg"),
    "WBTC": ("wrapped bitcoin", "wbtc"),
    "ETC": ("ethereum classic",),
}
OTHER_MARKETS = (
    "s&p 500", "s&p", "nasdaq", "dow jones", "dow", "ftse", "nikkei", "dax", "gold", "silver", "oil", "crude",
    "dxy", "dollar index", "treasury", "treasuries", "yields", "coinbase shares", "coin shares", "microstrategy",
    "mstr", "strategy shares", "ibit", "gbtc", "etha", "stocks", "equities", "altcoins", "memecoins", "stablecoins",
    "usdt", "usdc", "total2", "total3", "others",
)
