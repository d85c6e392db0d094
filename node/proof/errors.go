package proof

import (
	"errors"
	"fmt"
)

// Step names one stage of verification. A failed verification says which
// stage refused the bundle, so that a person knows what was wrong: a damaged
// file (format), a header or validator set that does not fit together
// (header, validators), signatures that do not add up (commit), a set the
// verifier does not trust (trust), state that is not committed in the app
// hash (proof), or a record that is not what was proven (record).
type Step string

// The verification steps, in the order Verify runs them.
const (
	StepFormat     Step = "format"
	StepHeader     Step = "header"
	StepValidators Step = "validators"
	StepCommit     Step = "commit"
	StepTrust      Step = "trust"
	StepProof      Step = "proof"
	StepRecord     Step = "record"
)

// StepError is the error Verify returns: the step that failed and why.
// errors.Is(err, ErrStepCommit) and friends match on the step alone.
type StepError struct {
	Step Step
	Err  error
}

func (e *StepError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("%s step failed", e.Step)
	}
	return fmt.Sprintf("%s step failed: %v", e.Step, e.Err)
}

func (e *StepError) Unwrap() error { return e.Err }

// Is matches any StepError of the same step, so that the sentinels below
// work with errors.Is.
func (e *StepError) Is(target error) bool {
	var t *StepError
	if errors.As(target, &t) {
		return t.Step == e.Step && (t.Err == nil || t.Err == e.Err)
	}
	return false
}

// Sentinels for errors.Is: one per step.
var (
	ErrStepFormat     = &StepError{Step: StepFormat}
	ErrStepHeader     = &StepError{Step: StepHeader}
	ErrStepValidators = &StepError{Step: StepValidators}
	ErrStepCommit     = &StepError{Step: StepCommit}
	ErrStepTrust      = &StepError{Step: StepTrust}
	ErrStepProof      = &StepError{Step: StepProof}
	ErrStepRecord     = &StepError{Step: StepRecord}
)

func fail(step Step, format string, args ...any) error {
	return &StepError{Step: step, Err: fmt.Errorf(format, args...)}
}

// StepOf returns the step an error from Verify names ("" if none).
func StepOf(err error) Step {
	var e *StepError
	if errors.As(err, &e) {
		return e.Step
	}
	return ""
}
