"""Binding rules as data: which words point at which facts.

A fact is described by tags (slot -> value): ``liquidations.long_1h_usd`` is
{metric: liquidations, side: long, window: 1h}. A cue is a phrase that gives
evidence for tag values: "longs" says side=long, "in the past hour" says
window=1h, "dominance" says metric=dominance — a metric no fact has, so a
number next to it is unsupported rather than bound to the nearest money fact.
bind.py weighs the cues around a mention and picks the fact whose tags they
support best.
"""

from __future__ import annotations

from collections.abc import Mapping

from generator.factcheck.lexicon import CHANGE_WORDS

Tags = Mapping[str, str | tuple[str, ...]]
AMOUNTS = ("liquidations", "volume", "open_interest", "market_cap", "etf_flows")  # what a "total" can be of

# (pattern, tags, weight[, tags after]). Patterns are case-insensitive. The tags speak for numbers before the
# cue; when a fourth element is given, it speaks for numbers after it instead ("$16,488, a whisker below its
# high" is not the high; "below its high of $16,493" is).
CueRule = tuple[str, Tags, float] | tuple[str, Tags, float, Tags]
# A dollar figure follows, and not an amount ("$1.12 billion").
_NOT_COMPOUND = r"(?!-(?!(?:side|heavy|dominated|led|biased|skewed|covering|squeeze|liquidations?|positions?)\b))"
_PRICE_AFTER = r"(?=\s+(?:the\s+)?(?:US)?\$\s?[\d.,]+(?![\d.,]*\s*(?:[mb]illion|bn|trillion|[mbk]\b)))"
CUES: tuple[CueRule, ...] = (
    # Longer phrases first: the alternation takes the first pattern that matches at a position.
    # "its lowest level since November": the number before is a low (or the price now), the date after is
    # when the price was last that low.
    (r"\b(?:lowest|weakest|deepest|cheapest)\s+(?:[\w-]+\s+){0,3}?since\b", {"aspect": ("low", "current")}, 0.9,
     {"metric": "since", "aspect": "low"}),
    (r"\b(?:highest|strongest|priciest|loftiest)\s+(?:[\w-]+\s+){0,3}?since\b", {"aspect": ("high", "current")}, 0.9,
     {"metric": "since", "aspect": "high"}),
    # "last traded this low in March 2020": a since-claim too.
    (r"\blast\s+(?:traded|seen|sat|stood|was|were|hit|changed hands)\s+(?:at\s+)?(?:this|that|so|these|those)\s+"
     r"(?:low|weak|cheap)\b(?:\s+levels?)?(?:\s+(?:in|on|back in))?", {}, 0.9, {"metric": "since", "aspect": "low"}),
    (r"\blast\s+(?:traded|seen|sat|stood|was|were|hit|changed hands)\s+(?:at\s+)?(?:this|that|so|these|those)\s+"
     r"(?:high|strong|expensive)\b(?:\s+levels?)?(?:\s+(?:in|on|back in))?", {}, 0.9,
     {"metric": "since", "aspect": "high"}),
    (r"\b(?:for the )?first time since\b|\b(?:levels?|prices?|lows?|highs?) (?:not|last) seen since\b", {}, 0.9,
     {"metric": "since", "aspect": ("low", "high")}),
    (r"\bopen interest\b|\bOI\b", {"metric": "open_interest"}, 1.0),
    (r"\bfear\s*(?:&|and)\s*greed\b|\bsentiment\b|\bF&G\b|\bgreed index\b|\bfear index\b|\bextreme (?:fear|greed)\b|"
     r"\((?:extreme )?(?:fear|greed)\)", {"metric": "fear_greed"}, 1.0),
    # --- liquidations ---
    # "most of them longs" describes the mix, it does not make the next amount a long-side figure.
    (r"\b(?:most|many|the bulk|the majority|nearly all|almost all|all|half|some) of (?:them|those|these|it|which)\s+"
     r"(?:were\s+|being\s+)?(?:longs?|shorts?)\b", {"aspect": "share"}, 0.3),
    # "the $412 million flush was dominated by longs, which made up 82%": the amount before is the whole,
    # what follows is the longs' part.
    (r"\b(?:dominated|led|driven|mostly|mainly|largely)\s+(?:by\s+)?(?:leveraged\s+)?(?:longs?|long positions|bulls)\b",
     {"side": "total"}, 0.9, {"side": "long"}),
    (r"\b(?:dominated|led|driven|mostly|mainly|largely)\s+(?:by\s+)?(?:leveraged\s+)?(?:shorts?|short positions|bears)\b",
     {"side": "total"}, 0.9, {"side": "short"}),
    # "86% of the $48.2 million": the amount after is the whole, the number before a share of it.
    (r"\bof\s+(?:the|all|a total of)(?=\s+(?:US)?\$\s?\d)", {"aspect": "share"}, 0.8, {"side": "total"}),
    (r"\bratio\b|\boutnumber(?:ed|s|ing)?\b|\bto one\b|\bfor every\b", {"aspect": "ratio"}, 0.9),
    (r"\bliquidat\w*|\brekt\b|\bwiped out\b|forced (?:selling|closures?|buying)|margin calls?|long squeeze|short squeeze|"
     r"flush(?:ed)?|leveraged positions", {"metric": "liquidations"}, 1.0),
    (r"\blongs? and shorts?\b|\bshorts? and longs?\b|\bboth sides\b|\blong and short\b", {"side": "total"}, 0.9),
    # A hyphenated compound is no side ("long-defended support", "short-lived", "decade-long") unless it names one
    # ("long-side liquidations", "short-covering").
    (rf"(?<!-)\blongs?\b{_NOT_COMPOUND}|\blong (?:positions?|traders|liquidations)|leveraged (?:buyers|bulls)",
     {"side": "long"}, 0.9),
    (rf"(?<!-)\bshorts?\b{_NOT_COMPOUND}|\bshort (?:positions?|sellers?|traders|liquidations)|leveraged (?:sellers|bears)",
     {"side": "short"}, 0.9),
    (r"\btotal(?:led|ed|s|ling|ing)?\b|\bin all\b|\bcombined\b|\boverall\b|\baggregate\b|\ball told\b",
     {"side": "total", "metric": AMOUNTS}, 0.7),
    (r"\btally\b|\bsum\b|\bamount\b", {"metric": AMOUNTS}, 0.6),
    # --- windows and timeframes ---
    (r"\b(?:1|one)[- ]?(?:hour|hr|h)\b|\bhourly\b|\b(?:past|last|latest|previous|single|an|the|that|one|same)\s+hour\b|"
     r"\b60[- ]?(?:minutes?|mins?)\b|\bwithin an hour\b", {"window": "1h", "tf": "1h"}, 1.0),
    # "slid to $6,653 intraday": a figure reached during the day, an extreme, not where the price is.
    (r"\bintraday\b", {"window": "24h", "tf": "1d", "aspect": ("low", "high")}, 0.8, {"window": "24h", "tf": "1d"}),
    (r"\b24[- ]?(?:hours?|hrs?|h)\b|\b(?:past|last|latest|previous|one|single)\s+day\b|(?<![-\w])day'?s?\b|"
     r"\bdaily\b|\bsession\b|\btoday\b|\bovernight\b|\bon the day\b", {"window": "24h", "tf": "1d"}, 0.8),
    (r"\b(?:4|four)[- ]?(?:hours?|hrs?|h)\b|\bH4\b|\bfour-hourly\b", {"tf": "4h", "window": "4h"}, 1.0),
    # "over the past week": a window said outright, as strong as "in the past hour".
    (r"\b(?:past|last|this|previous)\s+(?:week|seven\s+days|7\s+days)\b", {"window": "1w"}, 1.0),
    (r"\bweekly\b|\b(?:1|one)[- ]?(?:week|w)\b|\bweek'?s?\b", {"tf": "1w", "window": "1w"}, 0.8),
    (r"\bmonthly\b|\bmonth'?s?\b|\b30[- ]day\b", {"window": "1mo", "tf": "1mo"}, 0.8),
    (r"\byear\b|\bannual(?:ly|ized)?\b|\byear-to-date\b|\bYTD\b|\b12[- ]month\b", {"window": "1y"}, 0.8),
    (r"\b(?:15|fifteen)[- ]?(?:minutes?|mins?|m)\b", {"tf": "15m", "window": "15m"}, 1.0),
    # "bears eye $58,200", "could retest $62,000": a level someone is watching, not where the price is.
    (r"\b(?:eyes?|eyeing|targets?|targeting|retests?|retesting|tests?|testing|revisits?|revisiting|aims? for|"
     r"toward|towards)\b(?=\s+(?:the\s+)?(?:\w+\s+)?\$)", {"metric": "level"}, 1.0),
    (r"\bthresholds?\b|\boversold (?:level|line|mark)\b|\boverbought (?:level|line|mark)\b",
     {"aspect": "threshold"}, 1.0),
    # --- price ---
    # "sits above the price": the subject is a level; the word "price" here names no price figure.
    (r"\b(?:above|below|under|beneath|overhead of)\s+the\s+(?:current\s+|spot\s+|market\s+)?price\b",
     {"metric": "level"}, 0.8),
    (r"\bprices?\b|\bpriced\b|\btrad(?:es|ed|ing)\b(?! volume)|changed hands|\bquoted\b|\bvalued\b|\bspot\b|"
     r"\bhovers?\b(?!\s+(?:just\s+)?(?:above|below|near|around))|\bhovering\b(?!\s+(?:just\s+)?(?:above|below|near|around))",
     {"metric": "price"}, 0.8),
    # "sank to $6,653": where a fall took the price is where it is or the low it touched (a rise: or the high);
    # the words alone do not say which, so the value does.
    (r"\b(?:f[ae]lls?|drop(?:s|ped)|declin(?:es|ed)|slid(?:es)?|sinks?|sank|plunge[sd]|tumble[sd]|slump(?:s|ed)|"
     r"dip(?:s|ped)|slip(?:s|ped))\s+(?:back\s+)?to\b", {"metric": ("price", "change")}, 0.6,
     {"metric": ("price", "change"), "aspect": ("current", "low")}),
    (r"\b(?:rise[sn]?|rose|climb(?:s|ed)|advance[sd]|surge[sd]|jump(?:s|ed)|rall(?:ies|ied)|spike[sd]|soar(?:s|ed))"
     r"\s+(?:back\s+)?to\b", {"metric": ("price", "change")}, 0.6,
     {"metric": ("price", "change"), "aspect": ("current", "high")}),
    (r"\b(?:f[ae]lls?|drop(?:s|ped)|declin(?:es|ed)|slid(?:es)?|sinks?|sank|plunge[sd]|tumble[sd]|slump(?:s|ed)|"
     r"dip(?:s|ped)|rise[sn]?|rose|climb(?:s|ed)|advance[sd]|surge[sd]|jump(?:s|ed)|rall(?:ies|ied)|rebound(?:s|ed)|"
     r"recover(?:s|ed)|bounce[sd]|spike[sd]|slip(?:s|ped)|gain(?:s|ed)|hit|hits|reach(?:es|ed)|touch(?:es|ed)|"
     r"test(?:s|ed)|retest(?:s|ed)|end(?:s|ed)|settle[sd]|open(?:s|ed)|steadie[sd]|steadying|stabili[sz](?:es|ed|ing))\s+(?:back\s+)?(?:to|at|near|around)\b",
     {"metric": ("price", "change")}, 0.6),
    # "slumps below $6,000", "rockets past $16,000": the price crossing a round figure (a headline's verbs too).
    (r"\b(?:slump(?:s|ed)?|sinks?|sank|plunge[sd]?|tumble[sd]?|crash(?:es|ed)?|dive[sd]?|rocket(?:s|ed)?|soar(?:s|ed)?|"
     r"surge[sd]?|jump(?:s|ed)?|climb(?:s|ed)?|f[ae]lls?|drop(?:s|ped)?|slip(?:s|ped)?|rise[sn]?|rose)\s+(?:back\s+)?"
     rf"(?:below|under|above|past|over|through|beneath){_PRICE_AFTER}", {"metric": "price"}, 0.8, {"metric": "price"}),
    (r"\bas low as\b", {"aspect": "low", "metric": ("price", "level")}, 0.9),
    (r"\bas high as\b", {"aspect": "high", "metric": ("price", "level")}, 0.9),
    # "slid to $6,653 before recovering": the figure before was a trough; "before sellers took over": a peak.
    (r"\bbefore (?:recovering|rebounding|bouncing|paring|recouping|reclaiming|buyers)\b|"
     r"\band then (?:recovered|rebounded|bounced)\b", {"aspect": "low"}, 0.8, {}),
    (r"\bbefore (?:retreating|falling|slipping|sliding|pulling back|reversing|sellers|giving (?:back|up)|easing|fading)\b",
     {"aspect": "high"}, 0.8, {}),
    # "touched $6,653 before settling at $6,960": a point passed on the way, the day's low or high.
    (r"\bbefore (?:settling|closing|ending|finishing)\b", {"aspect": ("low", "high")}, 0.8, {}),
    # "held $58,200 on the daily close": how a level held (measured by closes), not the close's price.
    (r"\bon (?:a|the|its) (?:(?:daily|weekly|monthly|hourly|4-hour|four-hour|1-hour|\w+) )?clos(?:e|ing)(?: basis)?\b",
     {"metric": ("level", "price")}, 0.5, {}),
    (r"\bclos(?:e|es|ed|ing)\b|\bsettled\b|\bcandle\b", {"aspect": "close", "metric": "price"}, 0.8),
    # "18% below its high", "up 57% from the November low": a distance from a high or low (the number before),
    # and that high or low (the number after: "below its high of $73,800"), or for a percentage after it the
    # distance still ("the decline from the December peak stands at 65%").
    (r"\b(?:below|under|off|from|beneath|short of)\s+(?:its|the|a|this|their)\s+(?:[\w'$,.-]+\s+){0,2}?"
     r"(?:highs?|peak|top)\b", {"aspect": "from_high"}, 1.0, {"aspect": ("high", "from_high")}),
    (r"\b(?:above|from|off|over)\s+(?:its|the|a|this|their)\s+(?:[\w'$,.-]+\s+){0,2}?(?:lows?|bottom|trough)\b",
     {"aspect": "from_low"}, 1.0, {"aspect": ("low", "from_low")}),
    # "Max drop | 20.56%", "the largest intraday decline": the day's deepest fall, high to low. ("Its biggest daily
    # drop" compares days: that is the day's change.)
    (r"\b(?:max(?:imum)?|largest|biggest|deepest|steepest|sharpest|worst)\s+(?:intraday\s+|24h\s+|24-hour\s+)?"
     r"(?:drops?|declines?|falls?|drawdowns?|dips?|slides?|pullbacks?|retracements?)\b",
     {"aspect": "max", "metric": "change"}, 0.9),
    (r"\bas much as\b|\bat one point\b|\bat (?:its|the) lows?\b|\bpeak[- ]to[- ]trough\b|\bhigh[- ]to[- ]low\b",
     {"aspect": "max"}, 0.9),
    (r"\bhighs?\b|\bpeak(?:ed)?\b|\btop(?:ped)?\b(?!\s+(?:US)?\$|\s+\d)|\bceiling\b", {"aspect": "high", "metric": ("price", "level")}, 0.9),
    (r"\blows?\b|\bbottom(?:ed)?\b|\btrough\b", {"aspect": "low", "metric": ("price", "level")}, 0.9),
    (r"\brange\b", {"aspect": ("low", "high")}, 0.5),
    (r"\b(?:to|at)(?=\s*\$\s?\d)", {"metric": "price"}, 0.45),
    (r"\bcurrent(?:ly)?\b|\bnow\b|\blatest\b|\blast (?:trade|price)\b|\bat press time\b|\bat the time of writing\b",
     {"aspect": "current"}, 0.6),
    (r"\bopen(?:ed|ing)?\b", {"aspect": "open"}, 0.6),
    # --- change ---
    (r"\b(?:the|this|that|a|its) (?:rally|decline|advance|sell-?off|downtrend|uptrend|leg|impulse)\b",
     {"window": "move"}, 0.8),
    (CHANGE_WORDS, {"metric": "change"}, 0.7),
    (r"\bchange\b|\bmove\b|\bgain(?:s|ed)?\b|\bloss(?:es)?\b|\bdown\b|\bup\b|\bhigher\b|\blower\b|\bdrop\b|\bdecline\b|"
     r"\brise\b|\bfall\b|\brally\b|\bslump\b|\bplunge\b|\bsurge\b|\bperformance\b|\breturn\b", {"metric": "change"}, 0.6),
    # --- derivatives and sentiment ---
    (r"\bfunding(?! rounds?)\b|\bfunding rates?\b", {"metric": "funding"}, 1.2),
    (r"\binterval\b|\bevery\b|\bper\s+\d+[- ]hour", {"aspect": "interval"}, 0.8),
    (r"\bRSI\b|\brelative strength(?: index)?\b|\bmomentum (?:oscillator|indicator|readings?)\b|\boversold\b|"
     r"\boverbought\b", {"metric": "rsi"}, 1.0),
    (r"\b\d+-periods?\b|\bperiods?\b(?=\s+(?:RSI|setting|look-?back))|\blook-?back\b|\b(?:RSI|indicator) "
     r"(?:period|length|setting)\b", {"aspect": "period"}, 0.8),
    (r"\bvolume\b|\bturnover\b", {"metric": "volume"}, 1.0),
    (r"\bshares?\b|\bpercent of\b|\bproportion\b|\baccount(?:ed|s|ing)? for\b|\bmade up\b|\bmaking up\b|"
     r"\bof (?:it|them|that|those|the total|all)\b|\bmajority\b", {"aspect": "share"}, 0.7),
    # --- levels ---
    (r"\bsupports?\b|\bfloor\b|\bdemand (?:zone|area)\b|\bbid\b", {"metric": "level", "role": "support"}, 1.0),
    (r"\bresistances?\b|\bceiling\b|\bsupply (?:zone|area)\b|\boverhead\b|\bcapp?(?:ed|s)?\b",
     {"metric": "level", "role": "resistance"}, 1.0),
    (r"\blevels?\b|\bzone\b|\barea\b|\bmark\b|\bthreshold\b|\bhandle\b|\bpsychological\b|\bpivot\b",
     {"metric": "level"}, 0.6),
    # "swing-low support": the kind of swing a level comes from, not the day's low.
    (r"\bswing[- ](?:high|low)s?(?=\s+(?:supports?|resistances?|floors?|ceilings?|levels?|zones?|areas?)\b)",
     {"metric": "level", "level": "swing"}, 0.8),
    (r"\bswing\b", {"metric": "level", "level": "swing"}, 0.8),
    (r"\bfib(?:onacci)?\b|\bretracements?\b|\bgolden (?:ratio|pocket)\b", {"metric": "level", "level": "fib"}, 1.0),
    (r"\bfair value gaps?\b|\bFVGs?\b|\bimbalances?\b|\bgap\b", {"metric": "level", "level": "fvg"}, 1.0),
    (r"\b(?:after|following|with) an? (?:\w+ )?clos(?:e|ing) (?:below|above|through|beyond)\b|\bclosed (?:below|above)\b",
     {"state": "broken"}, 1.0),
    # "held $58,200", "defended $7,500", "reclaimed $7,500": a level held or won back (not an amount: "holds
    # $1.12 billion").
    (rf"\b(?:held|holds|holding|defend(?:ed|s|ing)?){_PRICE_AFTER}", {}, 0.8, {"metric": "level"}),
    (rf"\b(?:reclaim(?:ed|s|ing)?|regain(?:ed|s|ing)?|retook|retakes?|retaking){_PRICE_AFTER}", {"state": "broken"}, 0.8,
     {"metric": "level", "state": "broken"}),
    # "lost the $7,846 support", not "shorts lost $41.3 million".
    (r"\bbr(?:oke|eaks?|eaking|oken)\b|\bbreach(?:ed|es)?\b|\bsliced?\b|\bslicing\b|\blost\b(?!\s+(?:US)?\$|\s+\d)|"
     r"\bclear(?:ed|s|ing)\b|"
     r"\breclaim(?:ed|s)?\b|\bbreak(?:down|out)\b|\bflipped\b|\bgave way\b", {"state": "broken"}, 0.8),
    (r"\bnearest\b|\bnext\b|\bclosest\b|\bimmediate\b|\bfirst\b", {"state": "intact"}, 0.6),
    (r"\brally\b|\bdecline\b|\bswing (?:high|low)\b|\badvance\b|\bsell-?off\b|\bdowntrend\b|\buptrend\b|\bleg\b|"
     r"\bimpulse\b|\bof the move\b|\bthe move from\b", {"window": "move"}, 0.7),
    # --- dates ---
    (r"\bas of\b|\bdata (?:as of|at)\b|\bupdated\b|\bfetched\b|\bat the time of\b", {"metric": "as_of"}, 1.0),
    (r"\bleft on\b|\bformed on\b|\bcreated on\b", {"metric": "level", "level": "fvg"}, 0.5),
    # --- metrics no fact has: a number next to these is unsupported ---
    (r"\bdominance\b", {"metric": "dominance"}, 1.2),
    (r"\bmarket cap(?:italization|italisation)?\b|\bvaluation\b", {"metric": "market_cap"}, 1.2),
    (r"\bETFs?\b|\bETPs?\b|\binflows?\b|\boutflows?\b|\bnet flows?\b|\bAUM\b|\bassets under management\b",
     {"metric": "etf_flows"}, 1.2),
    (r"\bmoving averages?\b|\b[ES]?MA\b|\b\d+-(?:day|week|period) (?:[ES]MA|MA|moving)\b|\bMACD\b|\bBollinger\b|"
     r"\bstochastic\b|\bMFI\b|\bCCI\b|\bIchimoku\b|\bVWAP\b|\bOBV\b|\bADX\b|\bATR\b",
     {"metric": "other_indicator"}, 1.2),
    (r"\bmax pain\b|\boptions?\b|\bputs?\b|\bcalls?\b(?! for)|\bstrikes?\b|\bexpiry\b|\bexpiration\b|\bimplied volatility\b|"
     r"\bIV\b|\bskew\b", {"metric": "options"}, 1.2),
    (r"\bhash ?rate\b|\bdifficulty\b|\bminers?\b|\bhalving\b|\bblock (?:reward|height)\b", {"metric": "mining"}, 1.2),
    (r"\bsupply\b(?! zone)|\bcirculating\b|\breserves?\b|\bholdings?\b|\bwallets?\b|\baddresses\b|\bwhales?\b|"
     r"\bSOPR\b|\bMVRV\b|\bNUPL\b|\brealized (?:price|cap)\b|\bon-chain\b|\bHODL\b|\bexchange balances?\b",
     {"metric": "onchain"}, 1.2),
    (r"\ball-time (?:high|low)\b|\bATH\b|\brecord (?:high|low)\b|\bcycle (?:high|low|top|bottom)\b",
     {"metric": "ath"}, 1.3),
    (r"\bCPI\b|\binflation\b|\bthe Fed\b|\brate (?:cut|hike)s?\b|\binterest rates?\b|\byields?\b|\bGDP\b|\bpayrolls\b|"
     r"\bunemployment\b|\bbasis[- ]point (?:cut|hike)\b", {"metric": "macro"}, 1.2),
    (r"\bprice targets?\b|\btargets?\b|\bforecasts?\b|\bpredict(?:s|ed|ion)?\b|\bprojection\b|\bcould (?:reach|hit)\b",
     {"metric": "target"}, 1.0),
    (r"\bfunding rounds?\b|\braised\b|\braise\b|\bseries [A-F]\b|\bvaluation\b|\bacquisition\b|\bdeal\b",
     {"metric": "venture"}, 1.2),
    (r"\bleverage ratio\b|\bELR\b|\bestimated leverage\b", {"metric": "leverage_ratio"}, 1.2),
    (r"\bTVL\b|\btotal value locked\b|\bfees\b|\brevenue\b|\bstablecoins?\b|\bmarket share\b", {"metric": "defi"}, 1.2),
)

# What an unqualified phrase means: "liquidations of $X" is a total (of whichever window has that value),
# "Bitcoin at $X" the current price.
DEFAULTS: dict[str, dict[str, str]] = {
    "price": {"aspect": "current", "window": "24h"},
    "change": {"aspect": "net"},
    "liquidations": {"side": "total"},
    "rsi": {"aspect": "reading"},  # "RSI at 72" is the reading, not the overbought threshold
}
# What a distance measures depends on what is distant: "the low ... 21% beneath the high" is the day's
# high-to-low drop, "bitcoin sits 17% below its high" the price against the high. (the subject the sentence
# last named before the number, the distance the words give) -> the aspect of the fact meant.
DISTANCE_OF: dict[tuple[str, str], str] = {("low", "from_high"): "max"}
# Readings no default reaches: a distance from a high or low, or the day's largest drop, is a candidate only when
# some words say so ("from its high", "below the low", "as much as", "max drop"); "Down 16.43% (24h)" is the change.
NEEDS_WORDS = frozenset(("from_high", "from_low", "max"))  # values of the aspect slot
NEEDS_SUPPORT = 0.15  # the least cue weight that counts as saying so
# How much each slot counts when cues disagree with a fact.
SLOT_WEIGHT: dict[str, float] = {"metric": 2.0, "side": 1.5, "window": 1.2, "aspect": 1.2, "tf": 1.0, "role": 1.0,
                                 "level": 1.2, "state": 1.0, "ratio": 1.5, "asset": 2.5, "source": 1.0}


def as_tuples(tags: Tags) -> dict[str, tuple[str, ...]]:
    """The tags with every value a tuple: the binder's loops then need no type checks."""
    return {slot: value if isinstance(value, tuple) else (value,) for slot, value in tags.items()}


def cue_tags() -> list[tuple[Tags, float, Tags]]:
    """The tags, weight and tags for numbers after it, of each cue, by index (values as tuples)."""
    out = []
    for rule in CUES:
        before = as_tuples(rule[1])
        out.append((before, rule[2], as_tuples(rule[3]) if len(rule) > 3 else before))  # type: ignore[misc]
    return out
