/**
 * Every message an exercise check shows, keyed by id, in English and Chinese: the check's own words (`check.*`) and
 * each exercise's title and hints (`<exercise id>.title`, `<exercise id>.hint`, `<exercise id>.hint.<mistake>`).
 * A translated edition changes nothing here but the language {@link lang} reports.
 *
 * Texts hold `{name}` placeholders filled by {@link message}; both languages of an entry use the same ones (a test
 * says so). Hints nudge toward the idea and never give the solution.
 *
 * @module
 */
import { type Lang, lang } from "../notebook/lang.ts";

/** One message in both languages. */
export interface Text {
  /** English. */
  en: string;
  /** 中文. */
  zh: string;
}

/** The catalog: message id to its texts. */
export const CATALOG: Readonly<Record<string, Text>> = Object.freeze({
  // The check's own words.
  "check.case": { en: "{exercise} · case {i}/{n}: {input}", zh: "{exercise} · 第 {i}/{n} 个用例：{input}" },
  "check.pass": {
    en: "✓ {exercise}: all {n} cases pass. Well done!",
    zh: "✓ {exercise}：{n} 个用例全部通过，做得好！",
  },
  "check.pass_metric": {
    en: "✓ {exercise}: {metric} = {value} (needed at least {threshold}). Well done!",
    zh: "✓ {exercise}：{metric} = {value}（要求至少 {threshold}），做得好！",
  },
  "check.not_yet": { en: "not yet: {exercise}", zh: "还没完成：{exercise}" },
  "check.failed_case": { en: "case {i} of {n}", zh: "第 {i} 个用例（共 {n} 个）" },
  "check.input": { en: "input", zh: "输入" },
  "check.expected": { en: "expected", zh: "期望" },
  "check.got": { en: "got", zh: "得到" },
  "check.hint": { en: "hint", zh: "提示" },
  "check.uses_reference": {
    en: "The cells below use the reference solution until yours passes.",
    zh: "在你的答案通过之前，下面的单元格使用参考答案。",
  },
  "check.not_implemented": {
    en: "Not written yet: replace the line `throw notImplemented(…)` with your code, run that cell, then this one.",
    zh: "还没有写：把 `throw notImplemented(…)` 这一行换成你的代码，先运行那个单元格，再运行这个。",
  },
  "check.threw": {
    en: "Your code threw {error}. Read the message: it usually names the variable or the value at fault.",
    zh: "你的代码抛出了错误 {error}。读一读错误信息，它通常指出了出问题的变量或值。",
  },
  "check.timeout": {
    en: "No answer within {seconds} s: a Promise that never settles (an `await` on something that never happens, a " +
      "`resolve` never called) or a very long loop?",
    zh: "{seconds} 秒内没有得到结果：是不是有一个永远不会完成的 Promise（await 了一件不会发生的事，或者忘了调用 " +
      "resolve），或者循环太久了？",
  },
  "check.reference": {
    en: "That is the reference solution itself, handed back as it is: it would pass, but you would learn nothing. " +
      "Write your own version; the check compares it with this one.",
    zh:
      "这就是参考答案本身，原样交了回来：它当然能通过，但你什么也学不到。请写你自己的版本，检查会拿它和参考答案比较。",
  },
  "check.not_function": {
    en: "Expected a function to check, got {got}. Pass the function itself (its name, without calling it).",
    zh: "这里需要一个函数，得到的却是 {got}。请传入函数本身（只写函数名，不要调用它）。",
  },
  "check.undefined": {
    en: "Your function returned nothing (undefined): is a `return` missing?",
    zh: "你的函数什么也没有返回（undefined）：是不是少了 `return`？",
  },
  "check.nan": {
    en: "Got NaN (not a number){where}: a 0/0, the log of 0 or of a negative number, or an undefined value in the " +
      "arithmetic?",
    zh: "得到了 NaN（不是数字）{where}：是不是出现了 0/0、对 0 或负数取对数，或者算式里用到了未定义的值？",
  },
  "check.wrong_type": {
    en: "Expected {expected}{where}, got {got}.",
    zh: "{where}应该是{expected}，得到的却是 {got}。",
  },
  "check.wrong_length": {
    en: "Expected {expected} items{where}, got {got}.",
    zh: "{where}应该有 {expected} 项，得到的却是 {got} 项。",
  },
  "check.wrong_keys": {
    en: "Expected the keys {expected}{where}, got {got}.",
    zh: "{where}应该有这些键：{expected}，得到的却是 {got}。",
  },
  "check.wrong_shape": {
    en: "Expected a tensor of shape {expected}{where}, got shape {got}.",
    zh: "{where}应该是形状为 {expected} 的张量，得到的形状却是 {got}。",
  },
  "check.wrong_dtype": {
    en: "Expected a {expected} tensor{where}, got {got}.",
    zh: "{where}应该是 {expected} 类型的张量，得到的却是 {got}。",
  },
  "check.wrong_value": {
    en: "The values differ{where}: expected {expected}, got {got}.",
    zh: "{where}数值不对：期望 {expected}，得到 {got}。",
  },
  "check.where": { en: " at {path}", zh: "在 {path} 处" },
  "check.below_threshold": {
    en: "{metric} = {value}, needs at least {threshold}.",
    zh: "{metric} = {value}，至少需要 {threshold}。",
  },
  "check.metric_not_number": {
    en: "The model's {metric} could not be measured: {reason}",
    zh: "无法计算模型的 {metric}：{reason}",
  },
  "check.reading_tensor": {
    en: "An answer holds a tensor that could not be read ({error}): was it disposed too early?",
    zh: "答案里的张量无法读取（{error}）：是不是太早 dispose 了？",
  },

  // 00 · Welcome
  "00-mse.title": { en: "00 · mean squared error", zh: "00 · 均方误差" },
  "00-mse.hint": {
    en: "Subtract, square, then average over every entry: tensors have methods for each step (sub, square, mean). " +
      "The result is a scalar tensor, shape [].",
    zh:
      "先相减，再平方，最后对所有元素取平均：张量对每一步都有方法（sub、square、mean）。结果是一个标量张量，形状为 []。",
  },
  "00-mse.hint.sum": {
    en: "Your value is a multiple of the right one: did you add the squares up instead of averaging them?",
    zh: "你的结果是正确值的整数倍：是不是把平方加起来了，而没有取平均？",
  },
  "00-slope.title": { en: "00 · a slope with tf.grad", zh: "00 · 用 tf.grad 求斜率" },
  "00-slope.hint": {
    en: "Write g(x) = x³ − 2x with tensor operations, let tf.grad turn it into its slope function, call that on " +
      "tf.scalar(x) and read the number with `await ….data()`.",
    zh:
      "用张量运算写出 g(x) = x³ − 2x，让 tf.grad 把它变成斜率函数，在 tf.scalar(x) 上调用，再用 `await ….data()` 读出数字。",
  },

  // 01 · Learning from data
  "01-gradient.title": { en: "01 · the 早上好 gradient by hand", zh: "01 · 手算早上好的梯度" },
  "01-gradient.hint": {
    en: "For one example the loss is (a·x + b·y − target)². The chain rule gives ∂/∂x = 2·error·a and ∂/∂y = " +
      "2·error·b, with error = a·x + b·y − target. With several examples, average over them.",
    zh: "对一个样本，损失是 (a·x + b·y − target)²。由链式法则，∂/∂x = 2·误差·a，∂/∂y = 2·误差·b，其中误差 = " +
      "a·x + b·y − target。有多个样本时，对它们取平均。",
  },
  "01-gradient.hint.half": {
    en: "Your gradient is half the right one: the derivative of u² is 2u, keep the factor 2.",
    zh: "你的梯度只有正确值的一半：u² 的导数是 2u，别丢了系数 2。",
  },
  "01-gradient.hint.sign": {
    en: "Your gradient points the wrong way: the error is prediction minus target, not target minus prediction.",
    zh: "你的梯度方向反了：误差是预测值减目标值，而不是目标值减预测值。",
  },
  "01-gradient.hint.sum": {
    en: "Right for one example, too large for several: average the examples' gradients instead of adding them.",
    zh: "单个样本时对，多个样本时偏大：应该对各样本的梯度取平均，而不是相加。",
  },
  "01-diverging-rate.title": {
    en: "01 · the learning rate at which descent diverges",
    zh: "01 · 梯度下降开始发散的学习率",
  },
  "01-diverging-rate.hint": {
    en: "Look for the boundary between η = 0.2 (converges) and η = 0.23 (diverges): bisect, running descent at the " +
      "middle rate and checking whether the loss after many steps is above the loss at the start.",
    zh:
      "在 η = 0.2（收敛）和 η = 0.23（发散）之间找边界：用二分法，在中间的学习率上跑梯度下降，看很多步之后的损失是否比" +
      "起点还大。",
  },

  // 02 · Kinds of learning
  "02-purity.title": { en: "02 · purity of a clustering", zh: "02 · 聚类的纯度" },
  "02-purity.hint": {
    en: "Count, for every cluster, how many of its points carry each label; add up each cluster's largest count and " +
      "divide by the number of points.",
    zh: "对每个簇，数一数它里面每种标签各有多少个点；把每个簇里最大的那个计数加起来，再除以点的总数。",
  },
  "02-purity.hint.overall": {
    en: "Your value looks like the share of the single most common label overall: take the majority inside each " +
      "cluster separately.",
    zh: "你的结果像是整体上最常见标签所占的比例：应该在每个簇内部分别取多数。",
  },
  "02-classifier.title": { en: "02 · a penguin classifier of your own", zh: "02 · 你自己的企鹅分类器" },
  "02-classifier.hint": {
    en: "Any classifier from lib/ml will do (softmax regression, k-nearest neighbours, a decision tree…): create " +
      "it, fit it on the training rows, return it. The check grades it on the test penguins.",
    zh:
      "lib/ml 里的任何分类器都可以（softmax 回归、k 近邻、决策树……）：创建它，用训练数据拟合，然后返回。检查会在测试集" +
      "企鹅上给它打分。",
  },

  // 03 · Classic algorithms
  "03-gini.title": { en: "03 · Gini impurity", zh: "03 · 基尼不纯度" },
  "03-gini.hint": {
    en: "Turn the counts into proportions p = count / total; the impurity is 1 minus the sum of the squared " +
      "proportions. A pure node scores 0.",
    zh: "先把计数变成比例 p = 计数 / 总数；不纯度等于 1 减去各比例平方之和。纯的节点得 0。",
  },
  "03-gini.hint.sum": {
    en: "You returned the sum of the squared proportions: the impurity is one minus that.",
    zh: "你返回的是比例平方之和：不纯度是 1 减去它。",
  },
  "03-gini.hint.empty": {
    en: "A node with no rows has nothing to be impure about: return 0 there instead of dividing by zero.",
    zh: "没有样本的节点谈不上不纯：这时返回 0，不要除以零。",
  },
  "03-information-gain.title": { en: "03 · the information gain of a split", zh: "03 · 一次划分的信息增益" },
  "03-information-gain.hint": {
    en: "Gain = impurity of the parent − the children's impurities weighted by their share of the rows " +
      "(n_left/n · Gini(left) + n_right/n · Gini(right)). Use your gini from above.",
    zh: "信息增益 = 父节点的不纯度 − 子节点不纯度的加权和，权重是各子节点样本所占的比例" +
      "（n_左/n · Gini(左) + n_右/n · Gini(右)）。用上面你写的 gini。",
  },
  "03-information-gain.hint.unweighted": {
    en: "It looks as if the children's impurities were averaged equally: weight each by its share of the rows.",
    zh: "看起来你把两个子节点的不纯度直接平均了：应该按各自样本所占的比例加权。",
  },
  "03-nb-log-score.title": { en: "03 · a naive-Bayes log-probability", zh: "03 · 朴素贝叶斯的对数概率" },
  "03-nb-log-score.hint": {
    en: "Naive Bayes multiplies P(class) by P(word | class) once for every occurrence of the word; in logs, products " +
      "become sums: log prior + Σ count_j · log P(word_j | class).",
    zh: "朴素贝叶斯把 P(类别) 乘上每个词出现一次就乘一次的 P(词 | 类别)；取对数后乘积变成求和：对数先验 + " +
      "Σ 计数_j · log P(词_j | 类别)。",
  },
  "03-nb-log-score.hint.prior": {
    en: "Off by exactly the log prior: add log P(class) once.",
    zh: "正好差了对数先验：把 log P(类别) 加上一次。",
  },
  "03-nb-log-score.hint.counts": {
    en: "Each word counts as often as it occurs: multiply its log-probability by its count.",
    zh: "一个词出现几次就要算几次：把它的对数概率乘以它的出现次数。",
  },

  // 09 · The Transformer
  "09-reading.title": { en: "09 · reading a number in Chinese", zh: "09 · 用中文读出一个数" },
  "09-reading.hint": {
    en: "Split the number into its 万 group (n ÷ 10000) and the group below it (n mod 10000). Read a group from its " +
      "highest non-zero digit: each non-zero digit with its unit (千, 百, 十, none), one 零 for a run of zeros " +
      "between two non-zero digits, nothing for zeros at the end. Then the 万 group, 万, and the lower group, with " +
      "a 零 between them when the lower group is below 1000. 0 is 零.",
    zh: "把数分成万以上的一组（n ÷ 10000）和万以下的一组（n mod 10000）。一组从最高的非零位读起：每个非零数字带上它的" +
      "单位（千、百、十、无），两个非零数字之间的一串零读一个“零”，末尾的零不读。然后读万以上的一组、“万”、万以下" +
      "的一组；万以下的一组小于 1000 时，中间加一个“零”。0 读作“零”。",
  },
  "09-reading.hint.yishi": {
    en: "A reading that would begin with 一十 begins with 十 (15 is 十五, 150000 is 十五万), and only at the very " +
      "start: 115 is still 一百一十五.",
    zh: "以“一十”开头的读法要去掉“一”（15 读“十五”，150000 读“十五万”），只在最开头这样做：115 仍读“一百一十五”。",
  },
  "09-reading.hint.double-ling": {
    en: "A run of zeros is read as a single 零, however long it is: 1001 is 一千零一.",
    zh: "一串零不管多长，只读一个“零”：1001 读“一千零一”。",
  },
  "09-reading.hint.trailing-ling": {
    en: "Zeros at the end of a group are silent: 1000 is 一千 and 1200 is 一千二百, with no 零 at the end.",
    zh: "一组末尾的零不读：1000 读“一千”，1200 读“一千二百”，结尾没有“零”。",
  },
  "09-reading.hint.silent": {
    en: "Only zeros between two non-zero digits of one group are read, and the 零 after 万 only when the lower " +
      "group is below 1000: 10001000 is 一千万一千.",
    zh: "只有同一组里两个非零数字之间的零才读出来；万后面的“零”只在万以下的一组小于 1000 时才有：10001000 读" +
      "“一千万一千”。",
  },
  "09-reading.hint.wan-ling": {
    en: "When the group below 万 is not zero but below 1000, a 零 stands after 万: 10001 is 一万零一, 100100 is " +
      "十万零一百.",
    zh: "万以下的一组不为零但小于 1000 时，“万”后面要加“零”：10001 读“一万零一”，100100 读“十万零一百”。",
  },
  "09-reading.hint.liang": {
    en: "Everyday speech says 两 (两千), but the canonical form of this notebook writes 二 everywhere (二千), so " +
      "that each digit has one character.",
    zh: "口语里说“两”（两千），但本笔记本的规范读法处处写“二”（二千），这样每个数字只对应一个汉字。",
  },
  "09-padding-mask.title": { en: "09 · a padding mask", zh: "09 · 填充掩码" },
  "09-padding-mask.hint": {
    en: "Compare the ids with padId (tf.notEqual), turn the booleans into float32 numbers (tf.cast), and reshape " +
      "[B, T] to [B, 1, 1, T] so that the mask broadcasts over the heads and the queries.",
    zh: "把 ids 和 padId 比较（tf.notEqual），把布尔值转成 float32 数字（tf.cast），再把 [B, T] 变形为 [B, 1, 1, T]，" +
      "这样掩码能在注意力头和查询两个维度上广播。",
  },
  "09-padding-mask.hint.inverted": {
    en: "Your mask is upside down: it is a keep-mask, 1 where a real token may be attended to and 0 on the padding.",
    zh: "你的掩码正好反了：这是“保留”掩码，真实的词元处为 1，填充处为 0。",
  },
  "09-beam-step.title": { en: "09 · one step of beam search", zh: "09 · 束搜索的一步" },
  "09-beam-step.hint": {
    en: "Make every extension: for each beam b and each token t, the ids [...beam.ids, t] with log-probability " +
      "beam.logProb + nextLogProbs[b][t]. Sort all of them together, highest first, and keep the first `width`.",
    zh: "列出所有扩展：对每个束 b 和每个词元 t，得到 ids [...beam.ids, t]，对数概率为 beam.logProb + " +
      "nextLogProbs[b][t]。把它们放在一起从高到低排序，保留前 width 个。",
  },
  "09-beam-step.hint.not-added": {
    en: "A beam's score is the log-probability of its whole output: add the beam's own logProb to the new token's.",
    zh: "一个束的分数是整个输出的对数概率：要把束原有的 logProb 加上新词元的对数概率。",
  },
  "09-beam-step.hint.per-beam": {
    en: "You kept the best token of each beam. Beam search compares all extensions of all beams together: the two " +
      "best may both grow from the same beam, and a beam may have none.",
    zh: "你给每个束各保留了它最好的词元。束搜索要把所有束的所有扩展放在一起比较：最好的两个可能都来自同一个束，而有的" +
      "束一个也留不下。",
  },
});

/**
 * A catalog message in the edition's language, with its placeholders filled in.
 *
 * @param id The message id, e.g. `"check.pass"` or `"03-gini.hint"`.
 * @param values Values for the `{name}` placeholders.
 * @param language The language (default {@link lang}, from `LIANDAN_LANG`).
 * @returns The text.
 * @throws {RangeError} When the id is not in the catalog or a placeholder has no value.
 * @example
 * ```ts
 * import { message } from "@lib/exercises/catalog.ts";
 * import assert from "node:assert/strict";
 * assert.equal(message("check.input", {}, "zh"), "输入");
 * assert.equal(message("check.pass", { exercise: "03 · Gini", n: 4 }, "en"), "✓ 03 · Gini: all 4 cases pass. Well done!");
 * ```
 */
export function message(id: string, values: Record<string, unknown> = {}, language: Lang = lang()): string {
  const entry = CATALOG[id];
  if (entry === undefined) {
    throw new RangeError(`Cannot find the message as "${id}" is not in the exercise catalog: add it to catalog.ts`);
  }
  return entry[language].replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!(name in values)) {
      throw new RangeError(
        `Cannot fill message "${id}" as placeholder {${name}} has no value: given ${Object.keys(values)}`,
      );
    }
    return String(values[name]);
  });
}

/**
 * Whether the catalog has a message.
 *
 * @param id The message id.
 * @returns True when {@link message} can show it.
 */
export function hasMessage(id: string): boolean {
  return Object.hasOwn(CATALOG, id);
}
