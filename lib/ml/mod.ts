/**
 * Classic machine learning, 传统机器学习, as small white-box algorithms on plain arrays (no tfjs): every model is
 * `new Model(options).fit(X, y)`, then `predict(X)`, `score(X, y)` and the fitted parts a notebook shows
 * (weights, tree nodes, feature importances, word log-probabilities, centroids, components, Viterbi paths).
 *
 * - Regression: {@link LinearRegression} (线性回归; closed form or gradient descent).
 * - Classification: {@link LogisticRegression} (逻辑回归), {@link SoftmaxRegression}, {@link KNeighborsClassifier},
 *   {@link GaussianNB} and {@link MultinomialNB} (朴素贝叶斯), {@link DecisionTreeClassifier} (决策树),
 *   {@link RandomForestClassifier} (随机森林), {@link LinearSVM} (支持向量机), {@link AdaBoostClassifier} (boosting).
 * - Unsupervised: {@link KMeans} (聚类), {@link PCA} (主成分分析).
 * - Sequences: {@link HiddenMarkovModel} (隐马尔可夫模型).
 * - Scores: accuracy, confusion matrix, precision/recall/F1, ROC AUC, MSE, R².
 * - Learning curves: {@link learningCurve}, test accuracy against training-set size over seeds, with CPU times.
 *
 * Accuracies match scikit-learn's on the same splits (tests/ml/sklearn_parity_test.ts).
 *
 * @module
 */
export * from "./metrics.ts";
export * from "./linear_regression.ts";
export * from "./logistic_regression.ts";
export * from "./softmax_regression.ts";
export * from "./k_neighbors.ts";
export * from "./gaussian_nb.ts";
export * from "./multinomial_nb.ts";
export * from "./decision_tree.ts";
export * from "./random_forest.ts";
export * from "./linear_svm.ts";
export * from "./adaboost.ts";
export * from "./kmeans.ts";
export * from "./pca.ts";
export * from "./hmm.ts";
export * from "./learning_curve.ts";
export * from "./bigram.ts";
