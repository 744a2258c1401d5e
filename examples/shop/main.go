// Command shop is envtrace's bundled example: a service that reads its settings from
// the environment, sets one for itself, and has a goroutine race on a variable.
package main

import (
	"fmt"
	"os"
	"sync"

	"example.com/shop/config"
)

func main() {
	os.Setenv("SHOP_STAGE", "boot")
	cfg := config.Load()
	fmt.Printf("shop listening on :%s in %s with %d workers (cache %s)\n",
		cfg.Port, cfg.Region, cfg.Workers, cfg.CacheDir)

	var wg sync.WaitGroup
	for i := 0; i < cfg.Workers; i++ {
		wg.Add(1)
		go func(n int) {
			defer wg.Done()
			if n == 0 {
				os.Setenv("SHOP_STAGE", "serving") // races with the other workers' reads
			}
			_ = os.Getenv("SHOP_STAGE")
			for _, flag := range []string{"CHECKOUT", "SEARCH"} {
				_ = os.Getenv("FEATURE_" + flag)
			}
		}(i)
	}
	wg.Wait()
	fmt.Println(os.ExpandEnv("served by $USER from ${HOSTNAME}"))
}
