// Package config reads the shop's settings from the environment.
package config

import (
	"os"
	"strconv"
)

// Prefix is shared by the keys of the cache settings.
const Prefix = "SHOP_"

// CacheDirKey names the cache directory variable.
const CacheDirKey = Prefix + "CACHE_DIR"

// Config holds what the shop needs to start.
type Config struct {
	Port       string
	Region     string
	CacheDir   string
	Workers    int
	DBPassword string
}

// getenv returns the value of key, or fallback when it is unset or empty.
func getenv(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}

// Load reads the configuration.
func Load() Config {
	c := Config{
		Port:     getenv("PORT", "8080"),
		CacheDir: getenv(CacheDirKey, "/tmp/shop"),
	}
	if r, ok := os.LookupEnv("REGION"); ok {
		c.Region = r
	} else {
		c.Region = "eu-west-1"
	}
	c.Workers, _ = strconv.Atoi(getenv("WORKERS", "4"))
	c.DBPassword = os.Getenv("DB_PASSWORD")
	return c
}
