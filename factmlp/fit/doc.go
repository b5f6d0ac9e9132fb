// Package fit fits straight lines and power laws by ordinary least squares
// (gonum/stat) and reports what the course reads from them: the slope, its
// 95% confidence interval and R².
//
// A power law y = C·x^a is fitted as the line log₂ y = a·log₂ x + log₂ C, so
// the same Line type serves both; Line.Power evaluates the power law.
//
// Spearman is the rank correlation of two samples (ties get average ranks)
// with a Fisher-z 95% confidence interval: how well one measurement orders
// another when the relation need not be a line.
package fit
