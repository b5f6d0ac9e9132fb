package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/resources"
)

func init() {
	register(command{name: "verify", summary: "check a fact-MLP file exactly against its fact set (float64 and float32 argmax)", run: runVerify})
}

type verifyJSON struct {
	Method              string  `json:"method"`
	Facts               int     `json:"facts"`
	Correct             int     `json:"correct"`
	Accuracy            float64 `json:"accuracy"`
	MinMargin           float64 `json:"min_margin"`
	Accuracy32          float64 `json:"accuracy_float32"`
	MinMargin32         float64 `json:"min_margin_float32"`
	Stores              bool    `json:"stores"`
	Hidden              int     `json:"hidden"`
	Dim                 int     `json:"dim"`
	Params              int     `json:"params"`
	ParamsWithoutSeeded int     `json:"params_without_seeded"`
}

func runVerify(args []string, w io.Writer) error {
	fl := flag.NewFlagSet("verify", flag.ContinueOnError)
	ff := addFactSetFlags(fl)
	path := fl.String("mlp", "", "fact-MLP FILE.safetensors (as written by factmlp construct --out)")
	anyFacts := fl.Bool("ignore-fingerprint", false, "check the MLP even if it was saved for a different fact set")
	asJSON := fl.Bool("json", false, `print {"method","facts","correct","accuracy","min_margin","accuracy_float32","min_margin_float32","stores","hidden","dim","params","params_without_seeded"} as JSON`)
	maxMem := addMemoryFlag(fl)
	if done, err := parseFlags(fl, args); done {
		return err
	}
	if *path == "" {
		return errors.New("--mlp FILE.safetensors is required")
	}
	fs, desc, err := ff.build()
	if err != nil {
		return err
	}
	var g *mlp.Gated
	if *anyFacts {
		g, _, err = mlp.LoadFile(*path)
	} else {
		g, _, err = mlp.LoadFileFor(*path, fs)
	}
	if err != nil {
		return err
	}
	if err := checkMemory(*maxMem, resources.Verify(fs.NumFacts(), fs.NumValues(), fs.Dim(), g.Hidden())); err != nil {
		return err
	}
	rep, err := mlp.Verify(g, fs)
	if err != nil {
		return err
	}
	if *asJSON {
		if err := writeJSON(w, verifyJSON{Method: g.Method, Facts: rep.Facts, Correct: rep.Correct, Accuracy: rep.Accuracy,
			MinMargin: rep.MinMargin, Accuracy32: rep.Accuracy32, MinMargin32: rep.MinMargin32, Stores: rep.Stores(),
			Hidden: g.Hidden(), Dim: g.Dim(), Params: g.Params(), ParamsWithoutSeeded: g.ParamsWithoutSeeded()}); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(w, "%s (%s, hidden %d, %d params) on %s\n", *path, g.Method, g.Hidden(), g.Params(), desc)
		fmt.Fprintf(w, "%v\n", rep)
	}
	if !rep.Stores() {
		return fmt.Errorf("the MLP does not store every fact: %d/%d (float32 %d/%d); wrong keys include %v", rep.Correct, rep.Facts, rep.Correct32, rep.Facts, rep.Wrong)
	}
	return nil
}
