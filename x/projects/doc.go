// Package projects holds methodologies, projects and monitoring reports
// through their J-Credit lifecycle. (Being built: see issue 4.)
package projects
