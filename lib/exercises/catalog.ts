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

  // 04 · Traditional vs deep
  "04-error-ratio.title": { en: "04 · the ratio of two models' errors", zh: "04 · 两个模型的错误率之比" },
  "04-error-ratio.hint": {
    en: "The error rate is the share of test digits a model gets wrong: one minus its accuracy. Divide the simple " +
      "model's error rate by the deep one's.",
    zh: "错误率是模型判错的测试数字所占的比例，也就是 1 减去准确率。用简单模型的错误率除以深度模型的错误率。",
  },
  "04-error-ratio.hint.accuracies": {
    en: "That divides the accuracies; the question is about the errors, the digits each model gets wrong.",
    zh: "你除的是准确率；这里要比较的是错误率，也就是各个模型判错的那些数字。",
  },
  "04-error-ratio.hint.inverted": {
    en: "Upside down: the simple model's error goes on top, so that a ratio above 1 means the deep model errs less.",
    zh: "颠倒了：简单模型的错误率放在分子上，这样比值大于 1 就表示深度模型错得更少。",
  },
  "04-plateau.title": { en: "04 · where a learning curve levels off", zh: "04 · 学习曲线从哪里开始变平" },
  "04-plateau.hint": {
    en:
      "Walk the sizes from the smallest: at each, how many points (100 × accuracy) are still to gain by the largest " +
      "size? Return the first size where that is less than `points`.",
    zh: "从最小的训练集开始往后看：在每个规模上，到最大规模为止还能再涨多少个百分点（100 × 准确率之差）？" +
      "返回第一个涨幅小于 `points` 的规模。",
  },
  "04-plateau.hint.index": {
    en: "That is the position of the size in the list; return the size itself (a number of training digits).",
    zh: "这是规模在列表中的位置；要返回的是规模本身（训练数字的个数）。",
  },
  "04-plateau.hint.strict": {
    en: "A gain of exactly `points` is not less than `points`: compare with <, not ≤.",
    zh: "涨幅正好等于 `points` 并不算小于 `points`：用 <，不要用 ≤。",
  },
  "04-plateau.hint.percent": {
    en: "Accuracies are fractions (0.9 is 90%) and `points` are percentage points: multiply the gain by 100.",
    zh: "准确率是小数（0.9 就是 90%），而 `points` 是百分点：把涨幅乘以 100。",
  },
  "04-digit-scores.title": { en: "04 · logistic regression's scores by hand", zh: "04 · 亲手算逻辑回归的得分" },
  "04-digit-scores.hint": {
    en: "For each class k, start from bias[k] and add every pixel times its weight for that class, weights[j][k]. " +
      "Return the list of the k scores.",
    zh: "对每个类别 k，从 bias[k] 开始，加上每个像素乘以它对这个类别的权重 weights[j][k]。返回这 k 个得分组成的列表。",
  },
  "04-digit-scores.hint.bias": {
    en: "Close: each class also has its own bias, added once to its score.",
    zh: "差一点：每个类别还有自己的偏置，要在它的得分上加一次。",
  },

  // 05 · Neurons and backpropagation
  "05-mcp-neuron.title": { en: "05 · a McCulloch–Pitts neuron", zh: "05 · 一个 McCulloch–Pitts 神经元" },
  "05-mcp-neuron.hint": {
    en: "Multiply each input by its weight and add the products up; the neuron fires (returns 1) when that sum " +
      "reaches the threshold, and returns 0 otherwise.",
    zh: "把每个输入乘以它的权重再相加；当这个和达到阈值时神经元激发（返回 1），否则返回 0。",
  },
  "05-mcp-neuron.hint.strict": {
    en: "The sum here equals the threshold exactly: reaching the threshold is enough to fire (≥, not >).",
    zh: "这里的和正好等于阈值：达到阈值就足以激发（是 ≥，不是 >）。",
  },
  "05-mcp-neuron.hint.boolean": {
    en: "Return the numbers 1 and 0, not true and false: the next layer multiplies them by its weights.",
    zh: "请返回数字 1 和 0，而不是 true 和 false：下一层要把它们乘以自己的权重。",
  },
  "05-truth-table.title": { en: "05 · the truth table of a two-layer network", zh: "05 · 两层网络的真值表" },
  "05-truth-table.hint": {
    en: "For each input pair, in the order (0,0), (0,1), (1,0), (1,1): run every hidden neuron on the pair, then " +
      "the output neuron on the hidden neurons' outputs. Use mcpNeuron from the check above.",
    zh: "按 (0,0)、(0,1)、(1,0)、(1,1) 的顺序，对每一对输入：先让每个隐藏神经元处理这对输入，再让输出神经元处理" +
      "隐藏神经元的输出。用上面检查返回的 mcpNeuron。",
  },
  "05-truth-table.hint.order": {
    en: "Right values, wrong order: the rows go (0,0), (0,1), (1,0), (1,1), the second input changing fastest.",
    zh: "数值对了，顺序不对：行的顺序是 (0,0)、(0,1)、(1,0)、(1,1)，第二个输入变得最快。",
  },
  "05-truth-table.hint.hidden": {
    en:
      "That is the first hidden neuron's table: feed the hidden outputs into the output neuron and return its answer.",
    zh: "这是第一个隐藏神经元的真值表：要把隐藏层的输出送进输出神经元，返回输出神经元的结果。",
  },
  "05-backprop-step.title": { en: "05 · one backpropagation step by hand", zh: "05 · 手算一步反向传播" },
  "05-backprop-step.hint": {
    en: "Forward: z = w·x + b, y = tanh z, L = (y − target)². Backward, one factor per step of the forward pass: " +
      "dL/dy = 2(y − target), dy/dz = 1 − y², dz/dwᵢ = xᵢ, dz/db = 1. Then move against the gradient: w − lr · dL/dw.",
    zh: "前向：z = w·x + b，y = tanh z，L = (y − target)²。反向时前向的每一步贡献一个因子：dL/dy = 2(y − target)，" +
      "dy/dz = 1 − y²，dz/dwᵢ = xᵢ，dz/db = 1。然后逆着梯度走：w − lr · dL/dw。",
  },
  "05-backprop-step.hint.tanh": {
    en: "The tanh in the middle has a slope too: multiply by 1 − y² on the way back.",
    zh: "中间的 tanh 也有斜率：反向经过它时要乘以 1 − y²。",
  },
  "05-backprop-step.hint.two": {
    en: "The derivative of (y − target)² is 2(y − target): the factor 2 is missing.",
    zh: "(y − target)² 的导数是 2(y − target)：少了因子 2。",
  },
  "05-backprop-step.hint.sign": {
    en: "The step went uphill: gradient descent subtracts lr · gradient.",
    zh: "这一步走上坡了：梯度下降是减去 lr · 梯度。",
  },

  // 06 · A CNN that sees digits
  "06-conv-output-size.title": { en: "06 · the output size of a convolution", zh: "06 · 卷积输出的尺寸" },
  "06-conv-output-size.hint": {
    en: "Pad the input on both sides (size + 2 · padding), count how many times the kernel fits when it moves " +
      "`stride` pixels at a time: ⌊(size + 2 · padding − kernel) / stride⌋, plus one for the first position.",
    zh: "先在输入的两边补零（size + 2 · padding），再数卷积核每次移动 `stride` 个像素能放下几次：" +
      "⌊(size + 2 · padding − kernel) / stride⌋，再加上最开始的那一个位置。",
  },
  "06-conv-output-size.hint.plus-one": {
    en: "One short: that counts the moves; the kernel's first position, before any move, is an output too (+ 1).",
    zh: "少了一个：这数的是移动的次数；卷积核还没移动时的第一个位置也算一个输出（+ 1）。",
  },
  "06-conv-output-size.hint.both-sides": {
    en: "Padding is added on both sides of the image, left and right (or top and bottom): 2 · padding.",
    zh: "补零是在图像的两边都补（左右或上下）：2 · padding。",
  },
  "06-conv-output-size.hint.floor": {
    en: "A kernel that does not fit whole at the end gives no output: round the division down (Math.floor).",
    zh: "放到最后放不下整个卷积核时就没有输出：除法要向下取整（Math.floor）。",
  },
  "06-convolve-3x3.title": { en: "06 · one 3×3 convolution by hand", zh: "06 · 手算一次 3×3 卷积" },
  "06-convolve-3x3.hint": {
    en: "For every top-left corner (y, x) where the kernel fits whole, multiply the 3×3 patch image[y..y+2][x..x+2] " +
      "by the kernel cell by cell and add the nine products.",
    zh: "对卷积核能整个放下的每个左上角 (y, x)，把图像块 image[y..y+2][x..x+2] 与卷积核逐格相乘，再把九个乘积加起来。",
  },
  "06-convolve-3x3.hint.shape": {
    en: "No padding: the kernel only goes where it fits whole, so an H × W image gives an (H − 2) × (W − 2) map.",
    zh: "不补零：卷积核只放在能整个放下的地方，所以 H × W 的图像得到 (H − 2) × (W − 2) 的特征图。",
  },
  "06-convolve-3x3.hint.flipped": {
    en: "You flipped the kernel (the mathematician's convolution). Deep-learning libraries do not: kernel[0][0] " +
      "multiplies the patch's top-left pixel.",
    zh: "你把卷积核翻转了（数学里的卷积）。深度学习库并不翻转：kernel[0][0] 乘的是图像块左上角的像素。",
  },
  "06-max-pool.title": { en: "06 · a 2×2 max pool", zh: "06 · 2×2 最大池化" },
  "06-max-pool.hint": {
    en: "Cut the map into 2×2 blocks that do not overlap (rows 0–1, 2–3, …; columns likewise) and keep the largest " +
      "of each block's four numbers.",
    zh: "把特征图切成互不重叠的 2×2 小块（第 0–1 行、第 2–3 行……列也一样），每块的四个数只留最大的那个。",
  },
  "06-max-pool.hint.mean": {
    en: "That is average pooling: keep the largest of the four, not their mean.",
    zh: "这是平均池化：要留下四个数中最大的那个，而不是它们的平均值。",
  },
  "06-max-pool.hint.stride": {
    en: "The blocks do not overlap: step two rows and two columns at a time, so the map halves (an odd last row or " +
      "column is dropped).",
    zh: "小块之间不重叠：每次跨两行、两列，所以特征图边长减半（多出来的奇数行或列直接丢掉）。",
  },

  // 07 · RNN and LSTM
  "07-lstm-step.title": { en: "07 · one LSTM step by hand", zh: "07 · 手算一步 LSTM" },
  "07-lstm-step.hint": {
    en: "Split z into four blocks of H: input, forget, candidate, output. The three gates go through the sigmoid " +
      "1 / (1 + e^−x), the candidate through tanh. Then the new memory keeps f of the old one and adds i times the " +
      "candidate; the hidden state shows o times tanh of the new memory.",
    zh: "把 z 分成四段，每段 H 个：输入门、遗忘门、候选值、输出门。三个门过 sigmoid 1 / (1 + e^−x)，候选值过 tanh。" +
      "新的记忆保留旧记忆的 f 倍，再加上 i 乘候选值；隐藏状态是 o 乘新记忆的 tanh。",
  },
  "07-lstm-step.hint.forget": {
    en: "Your memory never forgets: the old memory must be multiplied by the forget gate before the new part is added.",
    zh: "你的记忆从不遗忘：旧记忆要先乘上遗忘门，再加上新写入的部分。",
  },
  "07-lstm-step.hint.tanh": {
    en: "The memory itself is right; the hidden state shows o times tanh of the memory, not the memory as it is.",
    zh: "记忆本身算对了；隐藏状态是 o 乘记忆的 tanh，而不是直接乘记忆。",
  },
  "07-lstm-step.hint.candidate": {
    en: "The candidate (the third block) goes through tanh, so it can be negative; only the three gates use the " +
      "sigmoid.",
    zh: "候选值（第三段）过的是 tanh，所以可以是负数；只有三个门用 sigmoid。",
  },
  "07-keep-memory.title": { en: "07 · a memory that lasts", zh: "07 · 一段能保持住的记忆" },
  "07-keep-memory.hint": {
    en: "Return 4H numbers, in blocks of H: input, forget, candidate, output. The memory is multiplied by the forget " +
      "gate σ(bias) at every step and gets the input gate times the candidate added: which of the two must be near " +
      "1, which near 0? σ(x) is close to 1 for large positive x and close to 0 for large negative x.",
    zh:
      "返回 4H 个数，每段 H 个：输入门、遗忘门、候选值、输出门。每一步记忆都要乘上遗忘门 σ(偏置)，再加上输入门乘候选值：" +
      "这两个门哪个要接近 1，哪个要接近 0？x 是很大的正数时 σ(x) 接近 1，是很大的负数时接近 0。",
  },
  // 13 · Reinforcement learning
  "13-discounted-returns.title": { en: "13 · the discounted return of every step", zh: "13 · 每一步的折扣回报" },
  "13-discounted-returns.hint": {
    en: "Walk the episode backwards: the last step's return is its own reward, and each earlier one is its reward " +
      "plus γ times the return of the step after it, G[t] = r[t] + γ·G[t+1]. Return one number per step.",
    zh: "从回合的末尾往回走：最后一步的回报就是它自己的奖励，更早的每一步等于它的奖励加上 γ 乘以下一步的回报，" +
      "G[t] = r[t] + γ·G[t+1]。每一步返回一个数。",
  },
  "13-discounted-returns.hint.undiscounted": {
    en: "These are the plain sums of the rewards still to come: multiply the later rewards by γ, γ², … as they get " +
      "further away.",
    zh: "这是把之后的奖励直接相加的结果：越往后的奖励要依次乘上 γ、γ²……",
  },
  "13-discounted-returns.hint.forward": {
    en: "You added up the rewards that came before each step. A return counts what comes after it: start from the " +
      "last reward and go backwards.",
    zh: "你累加的是每一步之前的奖励。回报算的是这一步之后的奖励：从最后一个奖励开始往回算。",
  },
  "13-discounted-returns.hint.absolute": {
    en: "The discount counts steps from t, not from the start of the episode: r[t] itself gets γ⁰ = 1 in G[t].",
    zh: "折扣是从第 t 步开始数的，而不是从回合开头：在 G[t] 里，r[t] 本身乘的是 γ⁰ = 1。",
  },
  "13-q-update.title": { en: "13 · one Q-learning update", zh: "13 · 一次 Q 学习更新" },
  "13-q-update.hint": {
    en: "The target is r + γ · (the best value in nextValues), or just r when the step ended the episode; move q a " +
      "fraction α of the way toward it: q + α · (target − q).",
    zh: "目标是 r + γ ·（nextValues 里最大的值），如果这一步结束了回合，目标就只是 r；然后把 q 朝目标挪动 α 那么多：" +
      "q + α ·（目标 − q）。",
  },
  "13-q-update.hint.terminal": {
    en: "This step ended the episode (the flag or a gap): there is no next state, so the target is the reward alone.",
    zh: "这一步结束了回合（到了旗杆或掉进了坑）：没有下一个状态，所以目标只有奖励本身。",
  },
  "13-q-update.hint.alpha": {
    en:
      "You returned the target itself: Q-learning moves only a fraction α of the way toward it, q + α · (target − q).",
    zh: "你返回的是目标本身：Q 学习只朝目标挪动 α 那么多，q + α ·（目标 − q）。",
  },
  "13-q-update.hint.error": {
    en: "That is the TD error, target − q: the new value is q plus α times it.",
    zh: "这是时序差分误差（目标 − q）：新的值是 q 加上 α 乘以它。",
  },
  "13-q-update.hint.max": {
    en: "Q-learning assumes the best action from the next state: use the largest of nextValues, not the first one or " +
      "their mean.",
    zh: "Q 学习假设在下一个状态会采取最好的行动：用 nextValues 里最大的那个，而不是第一个或它们的平均值。",
  },
  "11-bigram-loss.title": { en: "11 · the bigram loss by hand", zh: "11 · 手算二元语法模型的损失" },
  "11-bigram-loss.hint": {
    en:
      "For each pair (a, b) of neighbouring ids, P(b | a) = (counts[a][b] + k) / (row total of a + k·V), with V the " +
      "number of rows; the loss is the average of −ln P over the pairs (a stream of n ids has n − 1 pairs).",
    zh:
      "对每一对相邻的 id (a, b)，P(b | a) = (counts[a][b] + k) / (a 这一行的总数 + k·V)，V 是行数；损失是所有相邻对的 " +
      "−ln P 的平均值（n 个 id 有 n − 1 对）。",
  },
  "11-bigram-loss.hint.denominator": {
    en: "Each of the V possible next tokens gets k extra sightings, so the row total grows by k·V, not by k.",
    zh: "V 个可能的下一个字每个都多算了 k 次，所以这一行的总数要加 k·V，而不是 k。",
  },
  "11-bigram-loss.hint.sum": {
    en: "You added the pairs' losses up: divide by the number of pairs to get the mean.",
    zh: "你把每一对的损失加起来了：除以相邻对的个数，得到平均值。",
  },
  "11-bigram-loss.hint.sign": {
    en: "A log-probability is negative; the loss is its negative, so that lower is better.",
    zh: "对数概率是负数；损失取它的相反数，这样越低越好。",
  },
  "11-bigram-loss.hint.log2": {
    en: "That is in bits (log base 2): the GPT's cross-entropy is in nats, the natural log (Math.log).",
    zh: "这是以比特为单位（以 2 为底的对数）：GPT 的交叉熵用的是自然对数（Math.log），单位是奈特。",
  },
  "11-top-p.title": { en: "11 · top-p (nucleus) sampling", zh: "11 · top-p（核）采样" },
  "11-top-p.hint": {
    en: "Sort the tokens from most to least likely and take them until their probabilities add up to at least p; set " +
      "every other token to 0 and divide the kept ones by their sum. Return the probabilities in the original order.",
    zh: "把各个字按概率从大到小排好，依次取，直到概率之和至少为 p；其余的设为 0，再把留下的除以它们的和。" +
      "按原来的顺序返回概率。",
  },
  "11-top-p.hint.normalise": {
    en: "The right tokens are kept, but their probabilities no longer add up to 1: divide them by their sum.",
    zh: "留下的字对了，但它们的概率加起来不再是 1：除以它们的和。",
  },
  "11-top-p.hint.reach": {
    en: "One token too few: keep taking tokens until the sum reaches p, including the one that crosses it.",
    zh: "少了一个字：一直取到概率之和达到 p，越过 p 的那一个也要留下。",
  },
  "11-top-p.hint.extra": {
    en: "One token too many: stop as soon as the kept tokens' probabilities add up to p or more.",
    zh: "多了一个字：留下的字概率之和一达到 p（或超过），就停下。",
  },
  "11-param-count.title": { en: "11 · a GPT's parameter count", zh: "11 · GPT 的参数量" },
  "11-param-count.hint": {
    en: "Add up the tensors: token embedding V·C, position embedding T·C, per block the attention (C → 3C and C → C) " +
      "and the MLP (C → 4C → C) weight matrices plus two LayerNorms, then the final LayerNorm. With biases every " +
      "linear layer has one bias per output and a LayerNorm has a bias beside its weight. The output head is tied to " +
      "the token embedding.",
    zh:
      "把所有张量加起来：词嵌入 V·C，位置嵌入 T·C，每个块里注意力（C → 3C 和 C → C）与 MLP（C → 4C → C）的权重矩阵，" +
      "再加两个 LayerNorm，最后是末尾的 LayerNorm。有偏置时，每个线性层的每个输出有一个偏置，LayerNorm 除了权重还有偏置。" +
      "输出层与词嵌入共用参数。",
  },
  "11-param-count.hint.tied": {
    en: "One V·C too many: the output head reuses the token embedding's matrix (weight tying), it adds no parameters.",
    zh: "多了一个 V·C：输出层复用词嵌入的矩阵（权重共享），不增加参数。",
  },
  "11-param-count.hint.positions": {
    en: "The position embedding is missing: one vector of C numbers per position of the context, T·C.",
    zh: "少了位置嵌入：上下文的每个位置一个长度为 C 的向量，共 T·C。",
  },
  "11-param-count.hint.layernorm": {
    en: "The LayerNorms are missing: two per block and one at the end, each with C weights (and C biases with biases).",
    zh: "少了 LayerNorm：每个块两个，末尾一个，每个有 C 个权重（有偏置时再加 C 个偏置）。",
  },
  "11-param-count.hint.biases": {
    en: "The linear layers' biases are missing: per block 3C + C (attention) and 4C + C (MLP).",
    zh: "少了线性层的偏置：每个块注意力 3C + C，MLP 4C + C。",
  },
  // 08 · Attention
  "08-attention-weights.title": { en: "08 · the weights of one query", zh: "08 · 一个查询的注意力权重" },
  "08-attention-weights.hint": {
    en: "Score each key: the dot product of the query with it (multiply the numbers pairwise and add them up), " +
      "divided by the square root of the vectors' length d. Then the softmax turns the scores into weights: e to the " +
      "power of each score, divided by the sum of them all.",
    zh: "给每个键打分：查询和它的点积（逐个相乘再相加），除以向量长度 d 的平方根。然后用 softmax 把分数变成权重：" +
      "每个分数取 e 的幂，再除以它们的总和。",
  },
  "08-attention-weights.hint.unscaled": {
    en: "Your weights are the softmax of the raw dot products: divide each score by √d first. Without it, long " +
      "vectors give large scores and the softmax puts almost everything on one key.",
    zh: "你的权重是原始点积的 softmax：要先把每个分数除以 √d。不除的话，向量越长分数越大，softmax 几乎把全部权重" +
      "给了一个键。",
  },
  "08-attention-weights.hint.by-d": {
    en: "You divided by d; the scale is the square root of d.",
    zh: "你除的是 d；缩放因子是 d 的平方根。",
  },
  "08-attention-weights.hint.overflow": {
    en: "Some weights are not numbers: e to the power of a score in the thousands is Infinity. Subtract the largest " +
      "score from every score before taking e to the power: the softmax does not change, and nothing overflows.",
    zh: "有的权重不是数：几千的分数取 e 的幂就是 Infinity。取幂之前先让每个分数减去最大的分数：softmax 的结果不变，" +
      "也就不会溢出。",
  },
  "08-causal-weights.title": { en: "08 · attention under a causal mask", zh: "08 · 因果掩码下的注意力" },
  "08-causal-weights.hint": {
    en: "Row i is query i. It may see keys 0 to i (itself and the earlier positions), not the later ones: take the " +
      "softmax of scores[i][0..i] and give every later column weight 0. Each row's weights add up to 1.",
    zh: "第 i 行是第 i 个查询。它能看到键 0 到 i（自己和前面的位置），看不到后面的：对 scores[i][0..i] 做 softmax，" +
      "后面的列权重都是 0。每一行的权重加起来等于 1。",
  },
  "08-causal-weights.hint.upper": {
    en: "Your mask is the wrong way round: row i kept the later columns j ≥ i. A causal model looks back, so keep " +
      "j ≤ i.",
    zh: "你的掩码方向反了：第 i 行保留的是后面的列 j ≥ i。因果模型只往回看，应该保留 j ≤ i。",
  },
  "08-causal-weights.hint.zero": {
    en: "Setting a masked score to 0 still gives it weight e⁰ = 1 before normalising. A blocked score must be −∞ " +
      "(or a very negative number), so that its weight is exactly 0.",
    zh: "把被遮住的分数设成 0，归一化之前它的权重仍是 e⁰ = 1。被遮住的分数要设成 −∞（或一个很大的负数），" +
      "它的权重才正好是 0。",
  },
  "08-causal-weights.hint.strict": {
    en: "The first row has nothing left to attend to: a position may see itself, so keep j ≤ i, the diagonal " +
      "included.",
    zh: "第一行已经没有可以关注的位置了：一个位置可以看到它自己，所以保留 j ≤ i，对角线也算在内。",
  },
  "08-causal-weights.hint.no-mask": {
    en: "Every row is a softmax over all the columns: the later positions still have weight. Block the columns " +
      "j > i before the softmax.",
    zh: "每一行都对所有列做了 softmax：后面的位置仍然有权重。要在 softmax 之前遮住 j > i 的列。",
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
  // 12 · Supervised fine-tuning
  "12-response-mask.title": { en: "12 · the response mask", zh: "12 · 回答的掩码" },
  "12-response-mask.hint": {
    en: "There is one entry per target, and the target of position t is the token ids[t + 1]. Find where " +
      "<|assistant|> is; every target after it (the answer's tokens and the closing <|end|>) gets 1, every target up " +
      "to it and including it gets 0.",
    zh: "每个目标一项，位置 t 的目标是 ids[t + 1]。先找到 <|assistant|> 在哪里：它之后的每个目标（回答的词元和最后的 " +
      "<|end|>）记 1，到它为止（包括它自己）的目标记 0。",
  },
  "12-response-mask.hint.length": {
    en: "One entry too many: the mask has one entry per next-token target, ids.length − 1 of them (the last token " +
      "has no target after it).",
    zh: "多了一项：掩码是每个“下一个词元”目标一项，共 ids.length − 1 项（最后一个词元后面没有目标）。",
  },
  "12-response-mask.hint.inverted": {
    en: "The other way round: the loss should learn the answer (1) and ignore the prompt (0).",
    zh: "正好反了：损失要学的是回答（1），忽略的是提示（0）。",
  },
  "12-response-mask.hint.shift": {
    en: "Off by one: the target of the position of <|assistant|> is the first token of the answer and counts; the " +
      "target <|assistant|> itself does not.",
    zh: "差了一位：<|assistant|> 所在位置的目标是回答的第一个词元，要算；而以 <|assistant|> 本身为目标的那一项不算。",
  },
  "12-acrostic.title": { en: "12 · the acrostic checker", zh: "12 · 藏头诗的检查器" },
  "12-acrostic.hint": {
    en: "Two conditions: the answer (without the whitespace around it) is one quatrain in the course's format, which " +
      "parsePoem from lib/data tells you (it returns the four verses, or null), and verse i starts with character i " +
      "of the heads.",
    zh: "两个条件：回答（去掉首尾空白后）是课程格式的一首绝句，lib/data 的 parsePoem 可以判断（返回四句，或 null）；" +
      "并且第 i 句以藏头的第 i 个字开头。",
  },
  "12-acrostic.hint.form": {
    en: "The heads are right, but this answer is not one quatrain: check the form too (four verses of one length, 5 " +
      'or 7 characters, with "，" and "。" in their places, nothing after).',
    zh:
      "藏头对了，但这个回答不是一首绝句：还要检查格式（四句等长，每句 5 或 7 个字，“，”和“。”在该在的位置，后面没有别的）。",
  },
  "12-acrostic.hint.heads": {
    en: "Check the first character of every verse, not only of the first one.",
    zh: "要检查每一句的第一个字，不只是第一句。",
  },
  // 16 · Image generation
  "15-gae.title": { en: "15 · advantages by GAE", zh: "15 · 用 GAE 算优势" },
  "15-gae.hint": {
    en: "Walk the answer from its last token back to its first, carrying A: δ = rewards[t] + γ·V(t+1) − values[t], " +
      "with V(t+1) = 0 after the last token, then A = δ + γ·λ·A (A starts at 0); return the advantages in order.",
    zh: "从回答的最后一个词元往前走到第一个，一路带着 A：δ = rewards[t] + γ·V(t+1) − values[t]，最后一个词元之后 " +
      "V(t+1) = 0；然后 A = δ + γ·λ·A（A 从 0 开始）；按原来的顺序返回各步的优势。",
  },
  "15-gae.hint.length": {
    en: "Return one advantage per step: as many numbers as there are rewards.",
    zh: "每一步返回一个优势：数字的个数要和奖励一样多。",
  },
  "15-gae.hint.lambda": {
    en: "These are the advantages with λ = 1: multiply the carried A by γ·λ, not by γ alone.",
    zh: "这是 λ = 1 时的优势：带过来的 A 要乘 γ·λ，不是只乘 γ。",
  },
  "15-gae.hint.returns": {
    en: "These are the returns A + V, what the value head learns: the advantage is A alone.",
    zh: "这是回报 A + V，是价值头要学的：优势只是 A。",
  },
  "15-clipped-objective.title": { en: "15 · PPO's clipped objective", zh: "15 · PPO 的截断目标" },
  "15-clipped-objective.hint": {
    en: "Two terms: ratio·advantage, and the ratio clipped to [1 − ε, 1 + ε] times the advantage; return the " +
      "smaller of the two (the pessimistic one).",
    zh:
      "两项：ratio·advantage，以及把 ratio 截到 [1 − ε, 1 + ε] 后再乘 advantage；返回两项中较小的那个（悲观的那个）。",
  },
  "15-clipped-objective.hint.max": {
    en: "That is the larger of the two terms (the unclipped term alone gives it too): PPO takes the smaller of " +
      "ratio·advantage and clip(ratio)·advantage, so that clipping can only lower the objective.",
    zh: "这是两项中较大的那个（只用未截断的项也会得到它）：PPO 取 ratio·advantage 和 clip(ratio)·advantage " +
      "中较小的，这样截断只会让目标变低。",
  },
  "15-clipped-objective.hint.clip-only": {
    en: "The clipped term alone: take the minimum with the unclipped ratio·advantage too (it matters when the " +
      "advantage pulls the ratio back toward 1).",
    zh: "只有截断项：还要和未截断的 ratio·advantage 取最小值（当优势把比率往 1 拉回来时，这很重要）。",
  },
  "16-noising.title": { en: "16 · noising in one jump", zh: "16 · 一步加噪到第 t 步" },
  "16-noising.hint": {
    en: "Take ᾱ = alphaBar[t]. Each pixel of the result is √ᾱ · x0[i] + √(1 − ᾱ) · eps[i]: the clean image shrinks " +
      "by √ᾱ and the noise grows by √(1 − ᾱ), so that the variance stays 1 for a pixel of variance 1.",
    zh: "取 ᾱ = alphaBar[t]。结果的每个像素是 √ᾱ · x0[i] + √(1 − ᾱ) · eps[i]：干净图像缩小为 √ᾱ 倍，噪声放大为 " +
      "√(1 − ᾱ) 倍，这样方差为 1 的像素加噪后方差仍是 1。",
  },
  "16-noising.hint.no-sqrt": {
    en: "ᾱ and 1 − ᾱ are the variances of the two parts; the image and the noise are multiplied by their square " +
      "roots (Math.sqrt).",
    zh: "ᾱ 和 1 − ᾱ 是两部分的方差；图像和噪声要乘的是它们的平方根（Math.sqrt）。",
  },
  "16-noising.hint.swapped": {
    en: "The two factors are the wrong way round: at t = 0, ᾱ is almost 1 and the image must be almost clean, so " +
      "√ᾱ goes with x0 and √(1 − ᾱ) with the noise.",
    zh: "两个系数放反了：t = 0 时 ᾱ 几乎是 1，图像应该几乎是干净的，所以 √ᾱ 乘 x0，√(1 − ᾱ) 乘噪声。",
  },
  "16-ddpm-step.title": { en: "16 · one DDPM reverse step", zh: "16 · DDPM 反向去噪的一步" },
  "16-ddpm-step.hint": {
    en: "From beta: α_t = 1 − β_t and ᾱ_t = (1 − β_0)·…·(1 − β_t). The mean is (x_t − β_t/√(1 − ᾱ_t) · ε̂)/√α_t; " +
      "for t > 0 add σ_t · z with σ_t² = β_t (1 − ᾱ_{t−1})/(1 − ᾱ_t); at t = 0 return the mean alone.",
    zh: "由 beta 得到：α_t = 1 − β_t，ᾱ_t = (1 − β_0)·…·(1 − β_t)。均值是 (x_t − β_t/√(1 − ᾱ_t) · ε̂)/√α_t；" +
      "t > 0 时再加上 σ_t · z，其中 σ_t² = β_t (1 − ᾱ_{t−1})/(1 − ᾱ_t)；t = 0 时只返回均值。",
  },
  "16-ddpm-step.hint.noise-at-zero": {
    en: "At t = 0 the step lands on the clean image: add no noise there, return the mean.",
    zh: "t = 0 这一步落在干净图像上：这里不再加噪声，直接返回均值。",
  },
  "16-ddpm-step.hint.sigma-beta": {
    en: "Your mean is right and σ_t = √β_t is one of the paper's two choices; this notebook uses the other, the " +
      "variance of the true posterior: σ_t² = β_t (1 − ᾱ_{t−1})/(1 − ᾱ_t).",
    zh: "你的均值是对的；σ_t = √β_t 是论文给出的两种选择之一，本笔记本用另一种，即真实后验的方差：" +
      "σ_t² = β_t (1 − ᾱ_{t−1})/(1 − ᾱ_t)。",
  },
  "16-ddpm-step.hint.no-noise": {
    en: "The mean is right, but DDPM samples: for t > 0 add σ_t · z (z is the fresh noise given to you).",
    zh: "均值是对的，但 DDPM 是采样：t > 0 时要加上 σ_t · z（z 是给你的新噪声）。",
  },
  "16-guidance.title": { en: "16 · classifier-free guidance", zh: "16 · 无分类器引导" },
  "16-guidance.hint": {
    en: "Start from the unconditional prediction and move w times the difference toward the conditional one: " +
      "epsUncond[i] + w · (epsCond[i] − epsUncond[i]). w = 0 gives epsUncond, w = 1 gives epsCond.",
    zh: "从无条件预测出发，朝条件预测的方向走差值的 w 倍：epsUncond[i] + w · (epsCond[i] − epsUncond[i])。" +
      "w = 0 得到 epsUncond，w = 1 得到 epsCond。",
  },
  "16-guidance.hint.swapped": {
    en: "You moved from the conditional prediction toward the unconditional one: guidance pushes away from " +
      "“any digit” toward “this digit”, so start from epsUncond.",
    zh: "你是从条件预测走向无条件预测：引导是从“任意数字”推向“这个数字”，所以要从 epsUncond 出发。",
  },
  "16-guidance.hint.no-difference": {
    en: "Multiply w by the difference epsCond − epsUncond, not by epsCond alone.",
    zh: "w 要乘的是差值 epsCond − epsUncond，而不是 epsCond 本身。",
  },
  // 10 · BERT vs GPT
  "10-mlm-mask.title": { en: "10 · BERT's masking rule", zh: "10 · BERT 的掩码规则" },
  "10-mlm-mask.hint": {
    en: "Start from copies: input = [...ids], targets all −1. Then for the k-th chosen position p: targets[p] is " +
      "ids[p]; if draws[k] < 0.8 the input gets maskId there, else if draws[k] < 0.9 it gets randomIds[k], else it " +
      "keeps ids[p]. Return { input, targets }.",
    zh: "先复制：input = [...ids]，targets 全为 −1。然后对第 k 个被选中的位置 p：targets[p] 是 ids[p]；如果 " +
      "draws[k] < 0.8，input 在那里换成 maskId；否则如果 draws[k] < 0.9，换成 randomIds[k]；否则保留 ids[p]。" +
      "返回 { input, targets }。",
  },
  "10-mlm-mask.hint.shape": {
    en: "Return an object with two arrays as long as ids: { input, targets }.",
    zh: "返回一个对象，里面是两个和 ids 一样长的数组：{ input, targets }。",
  },
  "10-mlm-mask.hint.all-targets": {
    en: "Only the chosen positions are targets; every other position's target is −1, so the loss ignores it.",
    zh: "只有被选中的位置才是预测目标；其余位置的目标都是 −1，损失会忽略它们。",
  },
  "10-mlm-mask.hint.swapped": {
    en: "Check the order of the three cases: below 0.8 the mask token, from 0.8 to 0.9 the random token, from 0.9 " +
      "on the token stays as it is.",
    zh: "检查三种情况的顺序：小于 0.8 换成掩码词元，0.8 到 0.9 之间换成随机词元，0.9 及以上保持原样。",
  },
  "10-mlm-mask.hint.only-masked": {
    en: "A chosen position is a target whatever happens to its input: masked, replaced by a random token or left " +
      "unchanged, the model must say what stood there.",
    zh:
      "被选中的位置不管输入变成什么，都是预测目标：无论被掩盖、换成随机词元还是保持不变，模型都要说出原来那里是什么。",
  },
  "10-sentence-score.title": { en: "10 · a sentence's log-probability", zh: "10 · 一个句子的对数概率" },
  "10-sentence-score.hint": {
    en: "The first token is given, not predicted. For t from 1 to ids.length − 1, row t − 1 is the decoder's " +
      "prediction after reading ids[0..t − 1]: add logProbs[t − 1][ids[t]].",
    zh: "第一个词元是给定的，不用预测。对 t 从 1 到 ids.length − 1，第 t − 1 行是解码器读完 ids[0..t − 1] 后的预测：" +
      "把 logProbs[t − 1][ids[t]] 加起来。",
  },
  "10-sentence-score.hint.late": {
    en: "Row t is the prediction for the token after position t, that is ids[t + 1]: read ids[t] from row t − 1.",
    zh: "第 t 行预测的是位置 t 之后的词元，也就是 ids[t + 1]：ids[t] 要从第 t − 1 行读。",
  },
  "10-sentence-score.hint.product": {
    en: "The rows hold log-probabilities: add them (a product of probabilities underflows on long sentences).",
    zh: "这些行里是对数概率：把它们相加（概率连乘在长句子上会下溢）。",
  },
  "14-bradley-terry.title": { en: "14 · the Bradley–Terry loss", zh: "14 · Bradley–Terry 损失" },
  "14-bradley-terry.hint": {
    en: "For each pair, the loss is −log σ(d) with d = chosen[i] − rejected[i], and −log σ(d) = log(1 + e^(−d)) = " +
      "softplus(−d); return the mean over the pairs.",
    zh: "每一对的损失是 −log σ(d)，其中 d = chosen[i] − rejected[i]；−log σ(d) = log(1 + e^(−d)) = softplus(−d)；" +
      "返回所有对的平均值。",
  },
  "14-bradley-terry.hint.overflow": {
    en: "Your loss is not a finite number for rewards far apart: e^800 is Infinity in JavaScript, so write " +
      "log(1 + e^x) as max(x, 0) + log1p(e^(−|x|)), which never exponentiates a large number.",
    zh: "奖励相差很大时你的损失不是有限数：在 JavaScript 里 e^800 是 Infinity，所以把 log(1 + e^x) 写成 " +
      "max(x, 0) + log1p(e^(−|x|))，它从不对大数取指数。",
  },
  "14-bradley-terry.hint.sum": {
    en: "That is the sum over the pairs: divide by their number (the loss of a batch is a mean).",
    zh: "这是所有对的和：再除以对数（一批的损失是平均值）。",
  },
  "14-bradley-terry.hint.sign": {
    en: "The sign is swapped: the loss is small when the chosen answer's reward is the higher one.",
    zh: "符号反了：被选中的回答奖励更高时，损失应该小。",
  },
  "14-rhyme-key.title": { en: "14 · the rhyme key", zh: "14 · 韵的键" },
  "14-rhyme-key.hint": {
    en: "Three steps: remove the initial (zh ch sh first, then the one-letter ones), expand the written short forms " +
      "(iu → iou, ui → uei, un → uen, in → ien, ing → ieng, ong → ueng), then drop a first i or u when more letters " +
      "follow.",
    zh: "三步：去掉声母（先试 zh ch sh，再试单字母的），把缩写展开（iu → iou，ui → uei，un → uen，in → ien，" +
      "ing → ieng，ong → ueng），再在后面还有字母时去掉开头的 i 或 u。",
  },
  "14-rhyme-key.hint.medial": {
    en: "Drop the medial: uang and iang both rhyme as ang, ia and ua as a.",
    zh: "要去掉介音：uang 和 iang 都按 ang 押韵，ia 和 ua 都按 a。",
  },
  "14-rhyme-key.hint.expand": {
    en:
      "Expand the written short forms before dropping the medial: liu is l + iou, so its key is ou (流 rhymes with 楼).",
    zh: "去掉介音之前先展开缩写：liu 是 l + iou，所以它的键是 ou（流和楼押韵）。",
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
