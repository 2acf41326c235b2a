// The first text of the volunteer page, written by the server into the HTML it sends: where
// and when to meet, what to bring, the reader's roles and contingent. On a collapsed network
// the app's JavaScript may take many seconds to arrive; this shows with the document itself.
// The app takes over (and removes it) once it has rendered the same plan.
import type { EventPlan } from '../features/events/schemas.ts';
import type { Person } from '../features/people/schemas.ts';
import type { RoleSlot } from '../features/roles/schemas.ts';
import { formatEventStart, formatTimeOfDay, formatTimeWindow } from '../../web/src/lib/format.ts';
import { type Locale, translator } from '../../web/src/lib/i18n/catalogue.ts';
import { sayCountdown } from '../../web/src/lib/i18n/durations.ts';

export interface Essentials {
  person: Person;
  plan: EventPlan;
  /** The role slots as the person may see them; undefined when they could not be read. */
  roleSlots: RoleSlot[] | undefined;
}

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text (or an attribute's value) made safe for HTML. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => entities[c]!);

/** The page's first text, as HTML, in `locale`, with countdowns as at `now`. */
export function renderEssentials(
  { person, plan, roleSlots }: Essentials,
  locale: Locale,
  now: number,
) {
  const t = translator(locale);
  const e = escapeHtml;
  const tz = plan.timezone;
  const html: string[] = [];

  html.push(`<h1>${e(plan.name)}</h1>`);
  html.push(
    `<p class="when"><time datetime="${e(plan.startsAt)}">` +
      `${e(formatEventStart(plan.startsAt, tz, locale))}</time></p>`,
  );

  html.push(`<h2>${e(t('participant.whereToMeet'))}</h2>`);
  if (plan.meetingPoints.length === 0) {
    html.push(`<p>${e(t('participant.noMeetingPoints'))}</p>`);
  } else {
    html.push('<ol>');
    for (const point of plan.meetingPoints) {
      const time = point.meetAt ? formatTimeOfDay(point.meetAt, tz, locale) : point.meetTime;
      const countdown = point.meetAt ? sayCountdown(t, point.meetAt, now) : null;
      html.push(`<li><h3>${e(point.name)}</h3>`);
      if (time) {
        const meet = e(t('participant.meetAt', { time }));
        html.push(`<p class="time">${meet}${countdown ? ` · ${e(countdown)}` : ''}</p>`);
      }
      if (point.address) html.push(`<p>${e(point.address)}</p>`);
      if (point.instructions) {
        html.push(`<h4>${e(t('participant.instructions'))}</h4>`);
        html.push(`<p class="lines">${e(point.instructions)}</p>`);
      }
      html.push('</li>');
    }
    html.push('</ol>');
  }
  if (plan.bring) {
    html.push(`<h3>${e(t('participant.bring'))}</h3>`);
    html.push(`<p class="lines">${e(plan.bring)}</p>`);
  }

  const takesRoles = person.role === 'leader' || person.role === 'volunteer';
  if (takesRoles && roleSlots) {
    const held = roleSlots.filter((slot) => slot.holders.some((h) => h.personId === person.id));
    html.push(`<h2>${e(t('roles.myRoles'))}</h2>`);
    if (held.length === 0) html.push(`<p>${e(t('roles.myRolesEmpty'))}</p>`);
    else {
      html.push('<ul>');
      for (const slot of held) {
        const window = formatTimeWindow(slot.startTime, slot.endTime, locale);
        const parts = [e(slot.name)];
        if (window) parts.push(e(t('roles.when', { window })));
        if (slot.meetingPointName)
          parts.push(e(t('roles.where', { place: slot.meetingPointName })));
        html.push(`<li>${parts.join(' · ')}</li>`);
      }
      html.push('</ul>');
    }
  }

  const contingent = plan.contingents.find((c) => c.id === person.contingentId);
  if (contingent) {
    html.push(`<h2>${e(t('participant.yourContingent'))}</h2>`);
    html.push(`<p><strong>${e(contingent.name)}</strong></p>`);
    if (contingent.leaderName) {
      html.push(`<p>${e(t('participant.leader', { name: contingent.leaderName }))}</p>`);
    }
  }

  html.push(`<p class="loading">${e(t('app.loading'))}</p>`);
  return `<article id="essentials" class="essentials" data-testid="essentials">${html.join('')}</article>`;
}
