package diskcache_test

import (
	"fmt"
	"os"

	"github.com/factmlp/factmlp/factmlp/diskcache"
)

func Example() {
	dir, err := os.MkdirTemp("", "diskcache")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	c := &diskcache.Cache{Dir: dir}

	// squares computes n² at most once per n, across program runs.
	squares := func(n int) int {
		var v int
		if ok, err := c.Load("square", map[string]int{"n": n}, &v); err != nil {
			panic(err)
		} else if ok {
			fmt.Println("cached", n)
			return v
		}
		fmt.Println("computing", n)
		v = n * n
		if err := c.Store("square", map[string]int{"n": n}, v); err != nil {
			panic(err)
		}
		return v
	}
	fmt.Println(squares(7))
	fmt.Println(squares(7))
	// Output:
	// computing 7
	// 49
	// cached 7
	// 49
}
