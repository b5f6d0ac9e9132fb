// Package widthsearch finds the smallest hidden width at which a fact MLP
// stores its facts: an integer galloping-then-bisection search over the
// width with an explicit success predicate.
//
// It is the one width search of the module: the capacity measurements
// (package capacity), the smallest MLP a method builds (package method) and
// the Transformer's width searches (package transformer) all run Search. It
// sits at the bottom of the import graph (it knows nothing of MLPs, only of
// a predicate on integers), so any package can use it.
//
// Search assumes success is monotone in the width (true for the
// constructions, true on average for gradient descent); it evaluates every
// width at most once and records each evaluation as a Trial. For
// predicates whose failures cost the most (training to the end of an epoch
// budget), Options.Descend steps down from a storing start and bisects
// above the midpoint, where the expected cost is least when a storing trial
// costs half a failing one (GD capacity search at F = 2048, d = 64: width
// 49 in 8 trials with 2 failing where the midpoint took 4 failing); and
// Options.Near steps both ways from a start predicted by a neighbouring
// result.
package widthsearch
