// "Go deeper": the courses that teach a search's concepts, beside the studies that answer it.

import { h, sectionLabel, studyHref } from './dom.js';

function courseItem(course) {
  const { study } = course;
  const [lesson, ...more] = course.sections;
  return h('li', { class: 'course' },
    h('a', { class: 'course-link', href: studyHref(study.id), text: study.title }),
    lesson ? h('p', { class: 'course-lesson' },
      h('a', { href: studyHref(study.id, lesson.id), text: sectionLabel(lesson, study) })) : null,
    h('p', { class: 'course-why muted small', text: course.why }),
    more.length ? h('p', { class: 'small' }, h('span', { class: 'muted', text: 'Also: ' }),
      more.map((s, i) => [i ? ' · ' : '', h('a', { href: studyHref(study.id, s.id), text: sectionLabel(s, study) })])) : null);
}

/** The "Go deeper" panel for a /search answer's `courses`, or null when there are none. */
export function goDeeper(courses) {
  if (!courses || !courses.length) return null;
  return h('aside', { class: 'go-deeper panel', 'aria-labelledby': 'go-deeper-h' },
    h('h2', { id: 'go-deeper-h', text: 'Go deeper' }),
    h('p', { class: 'muted small', text: 'Courses that teach this, to read after the studies.' }),
    h('ul', { class: 'courses' }, courses.map(courseItem)));
}
