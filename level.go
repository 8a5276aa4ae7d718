package lurewatch

import "fmt"

// Level is how strongly an assessment says an ad is a trafficking lure. An ad
// counts as flagged at LevelMedium or above.
type Level int

// Levels, from no concern to near certainty. Their order is meaningful: a
// higher Level is a stronger flag.
const (
	LevelNone Level = iota
	LevelLow
	LevelMedium
	LevelHigh
	LevelCritical
)

// Levels lists every level from lowest to highest.
var Levels = []Level{LevelNone, LevelLow, LevelMedium, LevelHigh, LevelCritical}

var levelNames = [...]string{"none", "low", "medium", "high", "critical"}

// String returns the level's name as it appears in JSON, config and the CLI.
func (l Level) String() string {
	if l < LevelNone || l > LevelCritical {
		return fmt.Sprintf("level(%d)", int(l))
	}
	return levelNames[l]
}

// ParseLevel returns the Level named s ("none", "low", "medium", "high",
// "critical"). It returns an error wrapping ErrInvalid for any other name.
func ParseLevel(s string) (Level, error) {
	for i, n := range levelNames {
		if n == s {
			return Level(i), nil
		}
	}
	return LevelNone, fmt.Errorf("%w: unknown level %q (want none, low, medium, high or critical)", ErrInvalid, s)
}

// Flagged reports whether the level is medium or above: the threshold at
// which an ad is put in front of an analyst.
func (l Level) Flagged() bool { return l >= LevelMedium }

// MarshalText encodes the level by name.
func (l Level) MarshalText() ([]byte, error) {
	if l < LevelNone || l > LevelCritical {
		return nil, fmt.Errorf("%w: level %d out of range", ErrInvalid, int(l))
	}
	return []byte(l.String()), nil
}

// UnmarshalText decodes a level from its name.
func (l *Level) UnmarshalText(b []byte) error {
	v, err := ParseLevel(string(b))
	if err != nil {
		return err
	}
	*l = v
	return nil
}
