"""The test a reader applies to a would-be node: some labels are never entities, whatever the context.

A date ("August 2024"), a number or a quantity ("80GB", "1.5B"), a unit ("GeV"), a hardware model
("A100-80GB", "RTX 4090", "Jetson Nano"), a venue ("NeurIPS 2023"), an organisation ("ByteDance",
"Stanford University", "Max Planck Institute"), a person ("J. Smith", "Vaswani et al."), an
adjective made of a name and a participle ("TBK1-dependent", "CLIP-empowered") or a fragment that
starts or ends mid-phrase ("Neither post-training", "robustness of") is no method, dataset, metric
or task. The rules are data: each reason with its pattern, in :data:`NEVER` (and
:data:`NEVER_AS_WRITTEN`, where case tells).

>>> [never_a_node(x) for x in ("August 2024", "A100-80GB", "NeurIPS 2023", "robustness of", "LoRA")]
['a date', 'a hardware model', 'a venue', 'a fragment', None]
>>> [never_a_node(x) for x in ("ByteDance", "University of Rostock", "J. R. Smith", "Google Brain")]
['an organisation', 'an organisation', 'a person', 'an organisation']
>>> [never_a_node(x) for x in ("TBK1-dependent", "Petri Net-based", "Positive-Unlabeled", "CLIP-guided")]
['an adjective', 'an adjective', None, 'an adjective']
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["NEVER", "NEVER_AS_WRITTEN", "never_a_node"]

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
#: Units of measurement (not measures: "FLOPs" and "FPS" are metrics).
_UNIT = r"(?:%|gb|mb|tb|kb|ms|sec|gev|mev|kev|tev|ev|nm|μm|um|cm|km|hz|khz|mhz|ghz|kw|mw|kwh)"
#: What may follow a number in a quantity ("80GB", "1.5B", "3x", "10k").
_AFTER_NUMBER = rf"(?:{_UNIT}|[kmbt]|x|s|h|min|fps|flops|tflops|pflops)"

#: (reason, pattern on the lower-cased label) pairs: a label that matches is never a node.
NEVER: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (reason, re.compile(pattern))
    for reason, pattern in (
        (
            "a date",
            rf"^(?:{_MONTH}\.?\s+(?:\d{{1,2}},?\s+)?(?:19|20)\d\d|(?:19|20)\d\d(?:[-/]\d\d?){{0,2}})$",
        ),
        ("a number or quantity", rf"^[~≈<>±]?\d[\d,.]*\s*{_AFTER_NUMBER}?$"),
        ("a unit", rf"^{_UNIT}$"),
        (
            "a hardware model",
            r"^(?:nvidia\s+)?(?:[ahvp]100|a[468]000|a800|h[28]00|l40s?|t4|k80|rtx\s*(?:a?\d{3,4})(?:\s*ti)?"
            r"|gtx\s*\d{3,4}|titan\s*\w*|jetson(?:\s+\w+)?|tpu\s*-?v?\d*[a-z]?|raspberry\s+pi(?:\s*\d)?"
            r"|xeon(?:\s+\w+)?|epyc(?:\s+\w+)?|m[1-4](?:\s+(?:pro|max|ultra))?|snapdragon(?:\s*\d+)?)"
            r"(?:[-\s]?\d+\s*gb)?(?:\s+gpus?)?$",
        ),
        (
            "a venue",
            r"^(?:neurips|nips|icml|iclr|cvpr|iccv|eccv|acl|emnlp|naacl|coling|aaai|ijcai|kdd|sigir|www|"
            r"interspeech|icassp|miccai|arxiv)(?:\s*'?\d{2,4})?$",
        ),
        (
            "an organisation",
            r"^(?:the\s+)?(?:university|institute|school|academy|college|department|ministry)\s+of\b"
            r"|\s(?:university|universit[äa]t|universit[ée]|institute|institut|laboratory|laboratories|"
            r"inc\.?|corp\.?|corporation|ltd\.?|llc|gmbh|co\.|foundation|consortium|agency|ministry|"
            r"hospital|academy|college)$"
            r"|^(?:google|meta|microsoft|openai|bytedance|nvidia|alibaba|tencent|baidu|huawei|ibm|amazon|"
            r"apple|deepmind|anthropic|samsung|intel|facebook)(?:\s+(?:ai|research|deepmind|brain|labs?))?$",
        ),
        ("a person", r"\bet\s+al\.?$|^(?:[a-z]\.\s*){1,3}[a-z][a-z'-]+$"),
        (
            "a fragment",
            r"^(?:neither|either|however|although|though|while|whereas|which|that|this|these|those|such|"
            r"both|each|every|our|their|its|we|it|they|whether|because|since|unlike|despite)\b"
            r"|\s(?:of|for|with|and|or|to|in|on|by|from|the|a|an|via|as|at|than|into|between|over)$",
        ),
    )
)


#: The same, on the label as written: a participle in lower case after a hyphen ("ProX-curated",
#: "TBK1-mediated"; not the capitalised "Positive-Unlabeled" of a name) or a word of the like.
NEVER_AS_WRITTEN: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "an adjective",
        re.compile(r"-(?:[a-z]{3,}ed|(?i:dependent|specific|aware|centric|agnostic|free|like|style|sensitive))$"),
    ),
)


@lru_cache(maxsize=65536)
def never_a_node(label: str) -> str | None:
    """Why ``label`` is never a node (a reason of :data:`NEVER` or :data:`NEVER_AS_WRITTEN`), or
    ``None``."""
    label = label.strip()
    low = label.lower()
    return next((reason for reason, pattern in NEVER if pattern.search(low)), None) or next(
        (reason for reason, pattern in NEVER_AS_WRITTEN if pattern.search(label)), None
    )
