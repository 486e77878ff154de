/**
 * A GPT language model in the shape of Karpathy's nanoGPT (`model.py`): token and position
 * embeddings, pre-norm Blocks of causal self-attention and a GELU MLP, a final LayerNorm and an
 * output layer tied to the token embedding. Parameter names are nanoGPT's (`transformer.h.0.attn.c_attn.weight`),
 * so a state dict moves between this model and the PyTorch one with `load_state_dict(strict=True)`.
 */
import { arange, cat, nn, noGrad, optim, tidy, type Tensor } from '@logit/core';

const F = nn.functional;

/** The model's sizes, as nanoGPT's GPTConfig (camelCase). */
export interface GPTConfig {
  /** The longest context the model sees (the position table's size). */
  blockSize: number;
  vocabSize: number;
  nLayer: number;
  nHead: number;
  nEmbd: number;
  /** Dropout after the embeddings, on the attention probabilities and after each residual branch. */
  dropout: number;
  /** Biases in the Linear layers and LayerNorms (nanoGPT's `bias`). */
  bias: boolean;
}

/** Multi-head causal self-attention: one Linear makes q, k and v, another projects the heads back. */
export class CausalSelfAttention extends nn.Module {
  readonly cAttn: nn.Linear;
  readonly cProj: nn.Linear;
  readonly residDropout: nn.Dropout;
  readonly nHead: number;
  readonly nEmbd: number;
  readonly dropout: number;

  constructor(config: GPTConfig) {
    super();
    if (config.nEmbd % config.nHead !== 0) throw new RangeError(`nEmbd (${config.nEmbd}) must be divisible by nHead (${config.nHead})`);
    this.cAttn = new nn.Linear(config.nEmbd, 3 * config.nEmbd, { bias: config.bias });
    this.cProj = new nn.Linear(config.nEmbd, config.nEmbd, { bias: config.bias });
    this.residDropout = new nn.Dropout(config.dropout);
    this.nHead = config.nHead;
    this.nEmbd = config.nEmbd;
    this.dropout = config.dropout;
    // nanoGPT's (and so PyTorch's state-dict) names for the camelCase fields
    this.registerName('cAttn', 'c_attn');
    this.registerName('cProj', 'c_proj');
    this.registerName('residDropout', 'resid_dropout');
  }

  forward(x: Tensor): Tensor {
    const [B, T, C] = x.shape;
    const heads = (t: Tensor): Tensor => t.view(B, T, this.nHead, C / this.nHead).transpose(1, 2); // (B, nh, T, hs)
    const [q, k, v] = this.cAttn.forward(x).split(this.nEmbd, 2).map(heads);
    const y = F.scaledDotProductAttention(q, k, v, { isCausal: true, dropoutP: this.training ? this.dropout : 0 });
    return this.residDropout.forward(this.cProj.forward(y.transpose(1, 2).reshape(B, T, C)));
  }
}

/** The position-wise feed-forward network: Linear to 4 * nEmbd, GELU, Linear back. */
export class MLP extends nn.Module {
  readonly cFc: nn.Linear;
  readonly gelu: nn.GELU;
  readonly cProj: nn.Linear;
  readonly dropout: nn.Dropout;

  constructor(config: GPTConfig) {
    super();
    this.cFc = new nn.Linear(config.nEmbd, 4 * config.nEmbd, { bias: config.bias });
    this.gelu = new nn.GELU();
    this.cProj = new nn.Linear(4 * config.nEmbd, config.nEmbd, { bias: config.bias });
    this.dropout = new nn.Dropout(config.dropout);
    this.registerName('cFc', 'c_fc');
    this.registerName('cProj', 'c_proj');
  }

  forward(x: Tensor): Tensor {
    return this.dropout.forward(this.cProj.forward(this.gelu.forward(this.cFc.forward(x))));
  }
}

/** A pre-norm transformer block: x + attn(ln_1(x)), then x + mlp(ln_2(x)). */
export class Block extends nn.Module {
  readonly ln1: nn.LayerNorm;
  readonly attn: CausalSelfAttention;
  readonly ln2: nn.LayerNorm;
  readonly mlp: MLP;

  constructor(config: GPTConfig) {
    super();
    this.ln1 = new nn.LayerNorm(config.nEmbd, { bias: config.bias });
    this.attn = new CausalSelfAttention(config);
    this.ln2 = new nn.LayerNorm(config.nEmbd, { bias: config.bias });
    this.mlp = new MLP(config);
    this.registerName('ln1', 'ln_1');
    this.registerName('ln2', 'ln_2');
  }

  forward(x: Tensor): Tensor {
    const h = x.add(this.attn.forward(this.ln1.forward(x)));
    return h.add(this.mlp.forward(this.ln2.forward(h)));
  }
}

/** What `GPT.forward` returns: the logits, and the loss when targets were given. */
export interface GPTOutput {
  /** (B, T, vocabSize) with targets; (B, 1, vocabSize), the last position only, without. */
  logits: Tensor;
  loss: Tensor | null;
}

/** Options of `GPT.generate`, as nanoGPT's arguments. */
export interface GenerateOptions {
  /** Logits are divided by this before the softmax: < 1 sharper, > 1 flatter. Default 1. */
  temperature?: number;
  /** Sample only among the k most likely tokens. Default: all. */
  topK?: number | null;
}

/** The GPT language model (nanoGPT's `GPT`). */
export class GPT extends nn.Module {
  readonly config: GPTConfig;
  readonly transformer: nn.ModuleDict;
  readonly lmHead: nn.Linear;

  constructor(config: GPTConfig) {
    super();
    this.config = { ...config };
    this.transformer = new nn.ModuleDict({
      wte: new nn.Embedding(config.vocabSize, config.nEmbd),
      wpe: new nn.Embedding(config.blockSize, config.nEmbd),
      drop: new nn.Dropout(config.dropout),
      h: new nn.ModuleList(Array.from({ length: config.nLayer }, () => new Block(config))),
      ln_f: new nn.LayerNorm(config.nEmbd, { bias: config.bias }),
    });
    this.lmHead = new nn.Linear(config.nEmbd, config.vocabSize, { bias: false });
    this.registerName('lmHead', 'lm_head');
    // weight tying: the token embedding and the output layer share one matrix
    const untied = this.wte.weight;
    this.wte.weight = this.lmHead.weight;
    untied.dispose();
    this.apply((m) => initWeights(m));
    // GPT-2's scaled init of the projections into the residual stream
    for (const [name, p] of this.namedParameters()) {
      if (name.endsWith('c_proj.weight')) nn.init.normal_(p, 0, 0.02 / Math.sqrt(2 * config.nLayer));
    }
  }

  get wte(): nn.Embedding {
    return this.transformer.get('wte') as nn.Embedding;
  }
  get wpe(): nn.Embedding {
    return this.transformer.get('wpe') as nn.Embedding;
  }
  get h(): nn.ModuleList<Block> {
    return this.transformer.get('h') as nn.ModuleList<Block>;
  }

  /** Parameters without the position embedding (which does not count in nanoGPT's report). */
  numParams(): number {
    return this.parameters().reduce((n, p) => n + p.numel(), 0) - this.wpe.weight.numel();
  }

  /**
   * idx (B, T) int32 token ids, T <= blockSize; targets (B, T) int32, -1 where no loss is wanted.
   * Without targets only the last position's logits are computed (what sampling needs).
   */
  forward(idx: Tensor, targets: Tensor | null = null): GPTOutput {
    const [, t] = idx.shape;
    if (t > this.config.blockSize) throw new RangeError(`cannot forward a sequence of length ${t}, the block size is only ${this.config.blockSize}`);
    const pos = arange(0, t, 1, { dtype: 'int32' });
    let x = (this.transformer.get('drop') as nn.Dropout).forward(this.wte.forward(idx).add(this.wpe.forward(pos)));
    for (const block of this.h) x = block.forward(x);
    x = (this.transformer.get('ln_f') as nn.LayerNorm).forward(x);
    if (targets === null) return { logits: this.lmHead.forward(x.narrow(1, t - 1, 1)), loss: null };
    const logits = this.lmHead.forward(x);
    const loss = F.crossEntropy(logits.view(-1, logits.shape[2]), targets.view(-1), { ignoreIndex: -1 });
    return { logits, loss };
  }

  /**
   * AdamW over two parameter groups, as nanoGPT's `configure_optimizers`: every parameter of 2 or
   * more dims (matmul weights, embeddings) decays, biases and LayerNorm weights do not.
   */
  configureOptimizers(weightDecay: number, learningRate: number, betas: [number, number]): optim.AdamW {
    const params = this.parameters().filter((p) => p.requiresGrad);
    const decay = params.filter((p) => p.ndim >= 2);
    const noDecay = params.filter((p) => p.ndim < 2);
    return new optim.AdamW(
      [{ params: decay, weightDecay }, { params: noDecay, weightDecay: 0 }],
      { lr: learningRate, betas },
    );
  }

  /**
   * Continues each row of idx (B, T) by `maxNewTokens` tokens, feeding the predictions back in:
   * the last position's logits, divided by the temperature, cut to the topK most likely, sampled
   * with multinomial. Runs without autograd; returns (B, T + maxNewTokens).
   */
  generate(idx: Tensor, maxNewTokens: number, opts: GenerateOptions = {}): Tensor {
    const { temperature = 1, topK = null } = opts;
    return noGrad(() => {
      let out = idx;
      for (let i = 0; i < maxNewTokens; i++) {
        const next = tidy(() => {
          const t = out.shape[1];
          const cond = t <= this.config.blockSize ? out : out.narrow(1, t - this.config.blockSize, this.config.blockSize);
          let logits = this.forward(cond).logits.select(1, 0).div(temperature); // (B, vocab)
          if (topK !== null) {
            const { values } = logits.topk(Math.min(topK, logits.shape[1]));
            logits = logits.maskedFill(logits.lt(values.narrow(1, values.shape[1] - 1, 1)), -Infinity);
          }
          return cat([out, logits.softmax(-1).multinomial(1)], 1);
        });
        if (out !== idx) out.dispose();
        out = next;
      }
      return out;
    });
  }
}

/** nanoGPT's `_init_weights`: N(0, 0.02) for Linear and Embedding weights, zero biases. */
function initWeights(m: nn.Module): void {
  if (m instanceof nn.Linear) {
    nn.init.normal_(m.weight, 0, 0.02);
    if (m.bias) nn.init.zeros_(m.bias);
  } else if (m instanceof nn.Embedding) {
    nn.init.normal_(m.weight, 0, 0.02);
  }
}
