package zidentitytest

import (
	"net/http"
	"strings"
)

// UsersPath is the path of the users endpoint of the API.
const UsersPath = "/ziam/admin/api/v1/users"

// UserCanary is a person's login name in every answer of the users
// endpoint: it is personal data, and a test can check that it is never
// stored or shown.
const UserCanary = "jane.canary@acme.example"

// SetUsersStatus makes the users endpoint answer every request with
// status (such as 503); 0 restores the normal answers.
func (s *Server) SetUsersStatus(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.usersStatus = status
}

// UsersRequests returns how many requests reached the users endpoint.
func (s *Server) UsersRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.usersTotal
}

// serveUsers answers GET /ziam/admin/api/v1/users?limit=1: 200 with a
// person's data for a token the server issued that carries ZIAM, 403 for
// one of its tokens without ZIAM, 401 for any other token.
func (s *Server) serveUsers(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.usersTotal++
	status := s.usersStatus
	s.mu.Unlock()

	if r.Method != http.MethodGet {
		s.problem("users: method %s; want GET", r.Method)
	}
	if got := r.URL.RawQuery; got != "limit=1" {
		s.problem("users: query %q; want limit=1", got)
	}
	if a := r.Header.Get("Accept"); a != "application/json" {
		s.problem("users: Accept %q; want application/json", a)
	}
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || token == "" {
		s.problem("users: Authorization %q; want a bearer token", r.Header.Get("Authorization"))
	}
	if status != 0 {
		http.Error(w, http.StatusText(status), status)
		return
	}
	s.mu.Lock()
	services, issued := s.issued[token]
	s.mu.Unlock()
	switch {
	case !issued:
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_token", "error_description": "The access token is invalid"})
	case !hasZIAM(services):
		writeJSON(w, http.StatusForbidden, map[string]string{"error": "access_denied", "error_description": "The client's role lacks user management"})
	default:
		writeJSON(w, http.StatusOK, map[string]any{
			"results_total": 1, "pageOffset": 0, "pageSize": 1,
			"records": []map[string]any{{
				"id": "u-1", "loginName": UserCanary, "displayName": "Jane Canary",
				"primaryEmail": UserCanary, "status": true,
			}},
		})
	}
}

func hasZIAM(ss []Service) bool {
	for _, s := range ss {
		if strings.EqualFold(s.Product, "ZIAM") {
			return true
		}
	}
	return false
}
