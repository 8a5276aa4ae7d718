package crawler

import (
	"context"
	"slices"
	"sync"
	"testing"
)

// A host's pages that lead to other pages are taken before its ad pages,
// each kind in the order queued.
func TestFrontierTakesHubsFirst(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	var order []string
	f := newFrontier(context.Background(), 1, 1, func(p pending) {
		if p.url == "http://h/list/1" {
			<-release // hold the host's one slot while the rest is queued
		}
		mu.Lock()
		order = append(order, p.url)
		mu.Unlock()
	})
	for _, p := range []pending{
		{url: "http://h/list/1", role: roleListing},
		{url: "http://h/ad/1", role: roleAd},
		{url: "http://h/ad/2", role: roleAd},
		{url: "http://h/list/2", role: roleListing},
		{url: "http://h/page/1", role: rolePage},
		{url: "http://h/feed", role: roleFeed},
	} {
		f.push(p)
	}
	close(release)
	f.wait()
	want := []string{"http://h/list/1", "http://h/list/2", "http://h/feed", "http://h/ad/1", "http://h/ad/2", "http://h/page/1"}
	if !slices.Equal(order, want) {
		t.Errorf("fetch order %v, want %v", order, want)
	}
}
