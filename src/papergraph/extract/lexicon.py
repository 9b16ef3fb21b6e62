"""Word lists the extractor relies on: domain knowledge, not per-paper rules.

Curated lists hold closed classes (metric names, task head nouns, generic phrases that are never
nodes); ``scierc_lexicon.json`` (built by ``scripts/build_lexicon.py`` from SciERC) gives the type
distribution of head words and phrases for typing open-class noun phrases.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources


def _words(text: str) -> frozenset[str]:
    return frozenset(w.strip().lower() for w in text.split("|") if w.strip())


#: Evaluation measures (matched case-insensitively, on the whole phrase).
METRICS = _words("""
accuracy|top-1 accuracy|top-5 accuracy|top-1 error|top-5 error|classification accuracy|test accuracy|
zero-shot accuracy|perplexity|f1|f1 score|f1-score|macro-f1|micro-f1|bleu|bleu score|rouge|rouge-1|rouge-2|
rouge-l|meteor|cider|spice|map|miou|iou|auc|auroc|roc auc|fid|fid score|inception score|psnr|ssim|lpips|
em|exact match|wer|word error rate|cer|character error rate|mrr|ndcg|recall|precision|error rate|
latency|inference latency|throughput|flops|tflops|gflops|macs|memory footprint|memory usage|
memory consumption|memory cost|peak memory|energy consumption|energy cost|energy efficiency|
inference speed|inference time|training time|training cost|training costs|computational cost|
computational costs|compute cost|communication cost|communication costs|carbon footprint|
validation loss|test loss|training loss|speedup|bits per character|bits per byte|bpc|bpb|mae|rmse|mse|
mean squared error|mean absolute error|sample efficiency|success rate|win rate|pass@1|pass@k|
out-of-distribution error|generalization error|calibration error|expected calibration error|ece|
robust accuracy|attack success rate|hit rate|hits@1|hits@10|mean average precision|dice|dice score|
sampling cost|sample diversity|probability of misclassification|misclassification rate|
fréchet inception distance|frechet inception distance|kernel inception distance|kid|fps|
frames per second|smatch|smatch f1|mean iou|mean intersection over union|average precision|ap
""")

#: Words that every English sentence of some length contains a few of (``sentences.is_prose``).
FUNCTION_WORDS = _words("""
a|an|the|of|in|on|for|to|and|or|with|by|from|is|are|was|were|be|been|has|have|we|our|this|that|these|
those|it|its|as|at|which|can|not|than|into|using|use|based|via|such|also|both|each
""")

#: Metric acronyms that are also English words: a metric only when not written in lower case.
WORDLIKE_METRICS = _words("map|ap|em|is|kid|dice|spice")

#: Head nouns of research problems ("image classification", "question answering").
TASK_HEADS = _words("""
classification|detection|segmentation|recognition|generation|translation|summarization|captioning|
retrieval|answering|editing|parsing|tracking|estimation|reconstruction|synthesis|understanding|
forecasting|localization|completion|inpainting|super-resolution|unlearning|correction|extraction|
labeling|tagging|matching|verification|identification|prediction|navigation|manipulation|planning|
reasoning|modeling|modelling|comprehension|grounding|spotting|transcription|diarization|
anomaly detection|try-on|animation|restoration|denoising|deblurring|dehazing|alignment
""")

#: Head nouns of techniques ("knowledge distillation", "structural pruning").
METHOD_HEADS = _words("""
distillation|pruning|quantization|fine-tuning|finetuning|tuning|pretraining|pre-training|
regularization|normalization|augmentation|descent|decomposition|attention|transformer|transformers|
autoencoder|autoencoders|encoder|decoder|kernel|kernels|embedding|embeddings|dropout|boosting|
sampling|search|optimizer|optimization|adaptation|adapter|adapters|network|networks|model|models|
mechanism|algorithm|architecture|framework|learning|training|guidance|diffusion|routing|merging|
reparameterization|reparameterisation|trick|propagation|backpropagation|gradient|gradients|
convolution|convolutions|pooling|layer|layers|module|regression|clustering|inference|prompting|
parallelism|sharding|partitioning|compression|sparsification|scheduling|curriculum|objective|loss
""")

#: Heads of architecture-like names that titles spell in Title Case ("Stacked Hourglass Networks").
TITLE_METHOD_HEADS = _words("""
network|networks|net|nets|flow|flows|clustering|transformer|transformers|reader|parser|tagger|machine|
machines|encoder|encoders|decoder|autoencoder|autoencoders|field|fields|tree|trees|process|processes|
embedding|embeddings|distillation|pruning|quantization|attention|memory|memories|sampler|optimizer
""")

#: Head nouns of named data ("BabyLM Challenge", "Foundation Supernova Survey").
DATASET_HEADS = _words(
    "dataset|datasets|benchmark|benchmarks|corpus|corpora|challenge|suite|survey|treebank|bank"
)

#: Words after a name that say the name is a data set ("CIFAR-10 dataset", "GLUE benchmark").
DATASET_CUES = _words(
    "dataset|datasets|data set|benchmark|benchmarks|corpus|corpora|test set|testbed|"
    "leaderboard|split|splits|collection|environment|environments|game environments|games domain|domain|"
    "validation set|validation dataset|validation split|training set|dev set|database|track"
)
#: The same, for ``str.startswith`` (one call tests them all).
DATASET_CUE_PREFIXES = tuple(sorted(DATASET_CUES))

#: Phrases that are never nodes, however they are typed.
GENERIC = _words("""
our method|our approach|our model|our framework|the model|the method|this method|this approach|
existing approaches|existing methods|baselines|baseline|state-of-the-art methods|state-of-the-art|sota|
deep learning|machine learning|artificial intelligence|ai|neural network|neural networks|
deep neural network|deep neural networks|dnn|dnns|deep learning models|deep learning model|
language model|language models|large language model|large language models|llm|llms|
pre-trained models|pretrained models|pre-trained model|pretrained model|foundation model|foundation models|
large models|large model|small models|small model|model|models|method|methods|approach|approaches|
framework|frameworks|algorithm|algorithms|system|systems|technique|techniques|architecture|architectures|
network|networks|task|tasks|problem|problems|data|dataset|datasets|benchmark|benchmarks|
performance|results|experiments|training|inference|learning|optimization|generation|modeling|
efficiency|parameters|model parameters|training parameters|trainable parameters|computation|memory|
gpu|gpus|cpu|cpus|tpu|tpus|api|apis|iot|nlp|cv|ml|dl|rl|gpu memory|hardware|software|code|
fine-tuning|pre-training|pretraining|finetuning|training data|training process|downstream tasks|
real-world applications|various tasks|a100|h100|v100|rtx|nvidia|amd|intel|google|meta|openai|microsoft|
github|hugging face|huggingface|arxiv|python|pytorch lightning|usd|phd|rgb|2d|3d|4d|nlp tasks|vision tasks|
english|chinese|e.g|i.e|et al|fig|table|sec|appendix|tokens|token|images|image|videos|video|text|texts|
model size|model sizes|model scale|attention mechanism|transformer|self-attention|
classification|detection|segmentation|recognition|reasoning|prediction|alignment|adaptation|compression|
internet of things|big data|edge devices|edge computing|cloud computing|open source|open-source|
future work|related work|prior work|this work|our work|empirical evaluations|extensive experiments|
computer vision|natural language processing|natural language understanding|speech processing|robotics|
learning rate|learning rates|batch size|hyperparameters|hyper-parameters|real-world applications|
real world applications|downstream task|downstream tasks|down-stream tasks|multimodal large language model|
multimodal large language models|vision-language models|vision language models|generative models|
generative model|tiny machine learning|tinyml|edge ai
""")

#: Leading words stripped from a phrase ("a novel X" -> "X").
LEADING_STOP = _words("""
a|an|the|our|their|its|his|her|this|that|these|those|we|novel|new|existing|proposed|previous|prior|
recent|current|conventional|traditional|standard|typical|popular|various|different|several|many|multiple|
other|such|same|first|second|third|simple|efficient|effective|robust|powerful|strong|significant|good|
better|best|general|generic|specific|unified|modern|original|classical|classic|common|widely-used|
widely|used|well-known|famous|advanced|improved|enhanced|key|main|overall|whole|entire|both|each|all|
any|some|more|most|less|few|fewer|only|also|extensive|comprehensive|competitive|promising|powerful|
state-of-the-art|sota|leading|mainstream|representative|prevailing|dominant|emerging|additional|
respective|corresponding|underlying|specialized|dedicated|tailored|lightweight|remarkable|impressive|
superior|comparable|considerable|substantial|significantly|highly|very|much|further|large-scale|
small-scale|fully|partially|totally|directly|innovative|flexible|above|optimal|ideal|right|perfect|
similar|lengthy|inferior|higher|lower|greater|greatest|nearest|worse|exact|canonical|easily-available|
self-derived|average|overall|final|initial|resulting|desired|careful|carefully|principled|practical|
naive|vanilla|basic|plain|full|partial|joint|various|diverse|numerous|massive|huge|tiny|big|wide|deep|
benchmark|benchmarks|dataset|datasets|experiment|experiments|spanning|times|adds|add|decent|proper|good|
accurate|fast|rapid|learning-based|although|though|whereas|while|since|because|unlike|despite|however|
moreover|furthermore|thus|hence|therefore|given|when|whether|if|once|after|before|during|poor|bad|
excellent|high|low
""")

#: Words that end a noun-phrase run (function words, common verbs of abstracts).
BREAK_WORDS = _words("""
a|an|the|of|in|on|for|to|with|by|from|and|or|as|at|via|into|onto|over|under|than|that|which|who|whose|
this|these|those|its|their|our|we|us|it|they|them|is|are|was|were|be|been|being|can|could|may|might|
will|would|should|shall|must|has|have|had|do|does|did|not|no|nor|but|if|so|then|thus|hence|while|when|
where|how|what|why|both|each|all|any|some|such|also|only|even|just|very|much|more|most|less|least|
however|therefore|moreover|furthermore|additionally|besides|namely|including|include|includes|
use|uses|used|using|achieve|achieves|achieved|achieving|show|shows|showed|shown|showing|demonstrate|
demonstrates|demonstrated|propose|proposes|proposed|proposing|improve|improves|improved|improving|
outperform|outperforms|outperformed|outperforming|enable|enables|enabled|enabling|require|requires|
required|requiring|provide|provides|provided|providing|make|makes|made|making|allow|allows|allowed|
reduce|reduces|reduced|reducing|perform|performs|performed|performing|yield|yields|remain|remains|
leverage|leverages|leveraging|introduce|introduces|introduced|introducing|present|presents|presented|
apply|applies|applied|applying|address|addresses|addressed|learn|learns|learned|learnt|train|trains|
trained|evaluate|evaluates|evaluated|evaluating|consider|considers|study|studies|studied|explore|
explores|explored|focus|focuses|lead|leads|led|bring|brings|based|called|named|termed|known|dubbed|
across|between|among|within|without|through|throughout|during|after|before|since|until|upon|about|
against|toward|towards|per|vs|versus|like|unlike|despite|because|due|there|here|compared|comparing|
relative|respectively|e.g.|i.e.|etc|et|al|new|novel|existing|further|first|one|two|three|four|five|
six|seven|eight|nine|ten|surpass|surpasses|exceed|exceeds|achieve|obtain|obtains|reach|reaches|get|
gets|take|takes|give|gives|offer|offers|suffer|suffers|support|supports|become|becomes|remain|
significantly|substantially|consistently|largely|highly|efficiently|effectively|simply|directly|
accelerate|accelerates|construct|constructs|rectify|rectifies|optimize|optimizes|conduct|conducts|
facilitate|facilitates|mitigate|mitigates|alleviate|alleviates|tackle|tackles|overcome|overcomes|
capture|captures|generate|generates|predict|predicts|compute|computes|estimate|estimates|exploit|
exploits|adopt|adopts|incorporate|incorporates|integrate|integrates|utilize|utilizes|employ|employs|
enhance|enhances|boost|boosts|maintain|maintains|preserve|preserves|scale|scales|deploy|deploys|
inspired|motivated|driven|guided|generated|designed|trained|tuned|pretrained|pre-trained
""")

#: Verbs that announce the paper's own contribution.
PROPOSE_VERBS = _words("""
propose|proposes|proposed|introduce|introduces|introduced|present|presents|presented|develop|develops|
developed|design|designs|designed|build|builds|built|release|releases|released|construct|constructs|
constructed|curate|curates|curated|devise|devises|devised|create|creates|created|contribute|
contributes|establish|establishes|offer|offers|unveil|unveils|formulate|formulates|put forward|
""")

#: Words that put a name right after them as the paper's own name: "a framework called X".
NAMING_CUES = _words("called|named|termed|dubbed|coined|namely|entitled")

#: Cues of an explicit improvement claim over what follows them.
IMPROVE_CUES = (
    "outperform",
    "outperforms",
    "outperformed",
    "outperforming",
    "surpass",
    "surpasses",
    "surpassed",
    "surpassing",
    "exceed",
    "exceeds",
    "exceeded",
    "exceeding",
    "better than",
    "improves over",
    "improves upon",
    "improvement over",
    "improvements over",
    "improving over",
    "improving upon",
    "improved over",
    "beats",
    "beat",
    "beating",
    "superior to",
    "advantage over",
    "gains over",
    "higher than",
    "less than",
    "smaller than",
    "cheaper than",
    "improvement on",
    "improvements on",
    "overcome",
    "overcomes",
    "overcoming",
    "faster than",
    "lower than",
    "fewer than",
    "more accurate than",
    "compared favorably",
    "compares favorably",
    "outstrips",
    "dominates",
    "supersedes",
)
#: Cues of a comparison without a claim of being better.
COMPARE_CUES = (
    "compared to",
    "compared with",
    "comparison with",
    "comparison to",
    "in comparison",
    "against",
    "versus",
    " vs",
    "relative to",
    "on par with",
    "comparable to",
    "comparable with",
    "matches",
    "match ",
    "competitive with",
    "similar to",
    "consistent with",
    "differ from",
    "differs from",
    "unlike",
    "in contrast to",
    "baselines such as",
    "baselines including",
    "baselines like",
)
#: Words in a sentence that make "compared to X" an improvement claim.
GAIN_WORDS = _words("""
improve|improves|improved|improvement|improvements|reduce|reduces|reduced|reduction|faster|higher|
lower|fewer|less|better|increase|increases|increased|speedup|speed-up|saving|savings|outperform|gain|
gains|boost|boosts|boosted|superior|exceed|exceeds|surpass|surpasses|advantage|accelerate|accelerates
""")

#: Well-known model families (a name starting with one is a Method, never a Dataset).
MODEL_FAMILIES = _words("""
gpt|llama|llama2|llama3|bert|roberta|t5|bart|vit|resnet|clip|blip|opt|bloom|qwen|mistral|mixtral|
gemma|phi|falcon|pythia|olmo|smollm|mobilellm|chatgpt|palm|chinchilla|gopher|claude|gemini|vicuna|
alpaca|deepseek|yi|internlm|baichuan|stablelm|tinyllama|zephyr|openelm|electra|xlnet|deberta|albert|
distilbert|efficientnet|mobilenet|densenet|vgg|inception|unet|u-net|yolo|detr|sam|dino|dinov2|mae|
swin|convnext|stable diffusion|dit|sdxl|imagen|dall-e|whisper|wav2vec|hubert|llava|minigpt|flamingo|
kosmos|codex|codellama|starcoder|lora|qlora|adam|adamw|sgd|gptq|awq|smoothquant|omniquant|sparsegpt|
wanda|zero|deepspeed|megatron|fsdp|flashattention|mamba|rwkv|retnet|transformer-xl|lstm|gru|rnn|cnn|gan|
vae|ddpm|ddim|nerf|gaussian splatting|word2vec|glove|elmo|fasttext|xgboost|svm
""")

#: Well-known data sets and benchmarks (matched on the name with digits and punctuation removed).
DATASETS = _words("""
imagenet|cifar|mnist|fashion-mnist|coco|ms coco|mscoco|squad|glue|superglue|mmlu|wikitext|c4|pile|
the pile|laion|cub|cityscapes|ade20k|ade|pascal voc|voc|kinetics|hellaswag|arc|piqa|winogrande|boolq|
gsm8k|humaneval|mbpp|mt-bench|alpacaeval|truthfulqa|lambada|openwebtext|vqa|vqav2|visual genome|
flickr30k|flickr|ms marco|natural questions|triviaqa|sst|mnli|qnli|rte|cola|sts-b|mrpc|qqp|xsum|wmt|
penn treebank|ptb|svhn|celeba|ffhq|lsun|shapenet|scannet|kitti|nuscenes|librispeech|common voice|vww|
imagenet-1k|imagenet-21k|tinystories|babylm|bigbench|big-bench|helm|mteb|scienceqa|textvqa|docvqa|
chartqa|mathvista|mmbench|mme|pope|seed-bench|nocaps|refcoco|ucf101|hmdb51|something-something|
openbookqa|commonsenseqa|siqa|mathqa|math|aqua|strategyqa|drop|race|wikisql|spider|conll|ontonotes|
ace|semeval|snli|imdb|yelp|amazon|ag news|dbpedia|yahoo|wikipedia|bookcorpus|redpajama|slimpajama|
dolma|fineweb|refinedweb|the stack|starcoderdata|openimages|open images|objects365|lvis|places365|
inaturalist|stanford cars|stanford dogs|oxford pets|oxford flowers|food-101|dtd|eurosat|sun397|
caltech101|cub-200|cub-200-2011|streamingqa|archivalqa|nq|hotpotqa|musique|2wikimultihopqa
""")

#: Modifiers that make "X network(s)" / "X model(s)" a kind of architecture, not any network.
ARCHITECTURE_KINDS = _words("""
convolutional|recurrent|graph|residual|siamese|capsule|spiking|adversarial|feed-forward|feedforward|
bayesian|hopfield|kolmogorov-arnold|pointer|highway|deconvolutional|diffusion|autoregressive|generative|
discriminative|energy-based|latent|probabilistic|graphical|mixture|sequence-to-sequence|encoder-decoder|
flow-based|score-based|consistency|world|reward|masked|causal|hidden|markov|topic|
mixture-of-experts|state-space|bag-of-words|n-gram|log-linear|vision-language|vision|multimodal|
text-to-image|text-to-video|video|speech|acoustic|memory|attention|transformer|message-passing
""")

#: Modifiers that make "X learning" / "X training" a problem setting (a Task), not a technique.
SETTING_WORDS = _words("""
continual|incremental|class-incremental|task-incremental|domain-incremental|few-shot|zero-shot|one-shot|
federated|online|lifelong|multi-task|open-world|open-set|knowledge|on-device|decentralized|distributed|
reinforcement|transfer|representation|metric|semi-supervised|self-supervised|unsupervised|imitation|
active|multi-agent|multi-view|multi-label|multi-instance|multiple-instance|
""")

#: Name suffixes typical of benchmarks ("MT-Bench", "ChartQA", "AlpacaEval").
DATASET_SUFFIXES = ("bench", "qa", "eval", "-mcq", "set", "corpus", "-instruct-data", "stories", "vqa")

#: Names of hardware, organisations and places that look like model names but are not entities.
NOT_ENTITIES = _words("""
end-to-end|plug-and-play|state-of-the-art|out-of-the-box|off-the-shelf|
a100|h100|v100|a6000|rtx|rtx 3090|rtx 4090|tpu|tpuv4|tpu v4|gpu|cpu|npu|fpga|asic|arm|x86|cuda|
nvidia|amd|intel|google|meta|openai|microsoft|apple|amazon|alibaba|tencent|baidu|huawei|deepmind|
anthropic|github|hugging face|huggingface|arxiv|frontier|imagenet-pretrained|ieee|acm|neurips|icml|
iclr|cvpr|iccv|eccv|acl|emnlp|naacl|aaai|ijcai|kdd|www|usa|us|uk|eu|china|llm|llms|mllm|mllms|ai|agi|
ml|dl|nlp|cv|rl|api|apis|iot|sota|soota|fp16|fp32|bf16|int4|int8|int2|fp8|w4a16|w8a8|
ood|iid|i.i.d|rgb|rgb-d|2d|3d|4d|hd|4k|8k|ii|iii|iv|phd|ceo|url|html|json|pdf|sql|csv|os|ui|gui|qa|vlm|
vlms|lvlm|lvlms|slm|slms|dnn|dnns|cnns|rnns|pl|pls|nn|nns|moes|llm-based|gpus|cpus|tpus|flop|
covid-19|covid|sars-cov-2|mri|ct|ecg|eeg|sram|dram|hbm|lm|lms|plm|plms|mllm|vlm|ssd|hdd|fpgas
""")


@lru_cache(maxsize=1)
def scierc() -> dict[str, dict[str, dict[str, int]]]:
    """The SciERC head-word and phrase type counts (see ``scripts/build_lexicon.py``)."""
    text = resources.files("papergraph.extract").joinpath("data/scierc_lexicon.json").read_text("utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def non_entity_words() -> frozenset[str]:
    """Words SciERC annotators never put inside an entity (verbs, adverbs, evaluative adjectives)."""
    return frozenset(scierc()["non_entity_words"]) - METHOD_HEADS - TASK_HEADS


def load() -> None:
    """Load the lexicons that load on first use, now: before worker processes are forked, so
    that they share one copy instead of each reading its own."""
    non_entity_words()
