// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifo: the device file of a FIFO, /dev/pcfifo/NAME (fifos.c makes it).
 *
 * write(2) puts items and read(2) takes them, framed as lines or as
 * records (uapi/pcfifo.h); both sleep in the FIFO's queues of waiters
 * (api.c) unless the file is non-blocking. An open file holds the FIFO as
 * pcfifo_lookup() does, so its directory cannot be removed meanwhile, and
 * its module (the cdev's owner) cannot be unloaded.
 */

#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "core.h"
#include "trace.h"

/* Items one read or write moves under one acquisition of the FIFO's lock */
#define PCFIFO_DEV_BATCH	256
/* Bytes a read or write copies at a time: a line-framed write, whole lines */
#define PCFIFO_DEV_CHUNK	4096

/**
 * struct pcfifo_file - an open device file
 * @fifo: its FIFO, held
 * @framing: PCFIFO_FRAMING_LINES or PCFIFO_FRAMING_RECORDS; read without
 *	a lock, as each read or write uses the value it finds
 */
struct pcfifo_file {
	struct pcfifo *fifo;
	int framing;
};

/*
 * A read's or write's buffer. The ring copies each item's whole
 * PCFIFO_ITEM_MAX bytes to and from the text (a constant size copies
 * fastest), hence the room after the chunk.
 */
struct pcfifo_dev_buf {
	struct pcfifo_span spans[PCFIFO_DEV_BATCH];	/* write: the items */
	char text[PCFIFO_DEV_CHUNK + PCFIFO_ITEM_MAX];
};

static int pcfifo_dev_open(struct inode *inode, struct file *file)
{
	struct pcfifo *fifo = container_of(inode->i_cdev, struct pcfifo, cdev);
	struct pcfifo_file *pf;
	int ret;

	pf = kzalloc(sizeof(*pf), GFP_KERNEL);
	if (!pf)
		return -ENOMEM;
	ret = pcfifo_fifo_pin(fifo);
	if (ret) {
		kfree(pf);
		return ret;
	}
	pf->fifo = fifo;
	pf->framing = PCFIFO_FRAMING_LINES;
	file->private_data = pf;
	return stream_open(inode, file);
}

static int pcfifo_dev_release(struct inode *inode, struct file *file)
{
	struct pcfifo_file *pf = file->private_data;

	pcfifo_fifo_put(pf->fifo);
	kfree(pf);
	return 0;
}

/*
 * Put @n items, spans of @text, sleeping for room unless @nonblock.
 * Return: items put, or -EAGAIN or -ERESTARTSYS when none was.
 */
static int pcfifo_dev_put(struct pcfifo *fifo, const char *text,
			  const struct pcfifo_span *spans, unsigned int n,
			  bool nonblock)
{
	long timeout = MAX_SCHEDULE_TIMEOUT;
	struct pcfifo_sleeper s;
	unsigned int done = 0, put;
	int ret = 0;

	pcfifo_sleeper_init(&s);
	while (done < n) {
		put = pcfifo_put_spans(fifo, text, spans + done, n - done,
				       nonblock ? NULL : &s.w);
		if (put)
			trace_pcfifo_put(fifo, NULL, "dev", put);
		done += put;
		if (done == n)
			break;
		if (nonblock) {
			ret = -EAGAIN;
			break;
		}
		ret = pcfifo_sleep(fifo, &s, TASK_INTERRUPTIBLE, &timeout);
		if (ret)
			break;
	}
	return done ? done : ret;
}

/*
 * Put whole lines, a chunk of the caller's buffer at a time, a batch of
 * items at a time. Return: bytes of the items put, or, when none was,
 * why: -EINVAL for a bad first line, -EAGAIN, -ERESTARTSYS or -EFAULT.
 */
static ssize_t pcfifo_dev_write_lines(struct pcfifo *fifo,
				      const char __user *ubuf, size_t count,
				      bool nonblock, struct pcfifo_dev_buf *b)
{
	size_t done = 0, pos = 0, len, used;
	bool last, bad = false;
	unsigned int n;
	int put = 0;

	while (done < count && !bad) {
		len = min_t(size_t, count - done, PCFIFO_DEV_CHUNK);
		if (copy_from_user(b->text, ubuf + done, len)) {
			put = -EFAULT;
			goto out;
		}
		last = done + len == count;
		/* A line cut at the chunk's end is copied again with the next. */
		for (pos = 0; !bad; pos += used) {
			n = pcfifo_parse_lines(b->text + pos, len - pos, last,
					       b->spans, PCFIFO_DEV_BATCH,
					       &used, &bad);
			if (!n)
				break;
			put = pcfifo_dev_put(fifo, b->text + pos, b->spans, n,
					     nonblock);
			if (put <= 0)
				goto out;
			if (put != (int)n) {
				/* Up to the first item not put */
				pos += b->spans[put].off;
				goto out;
			}
		}
		if (!pos) {
			/* A bad line first in the chunk */
			put = -EINVAL;
			goto out;
		}
		done += pos;
		pos = 0;
	}
out:
	done += pos;
	return done ? (ssize_t)done : put;
}

static ssize_t pcfifo_dev_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct pcfifo_file *pf = file->private_data;
	bool nonblock = file->f_flags & O_NONBLOCK;
	struct pcfifo_dev_buf *b;
	ssize_t ret;

	if (!count && READ_ONCE(pf->framing) == PCFIFO_FRAMING_LINES)
		return 0;
	b = kvmalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	if (READ_ONCE(pf->framing) == PCFIFO_FRAMING_LINES) {
		ret = pcfifo_dev_write_lines(pf->fifo, ubuf, count, nonblock, b);
	} else if (!count || count > PCFIFO_ITEM_MAX) {
		ret = -EINVAL;
	} else if (copy_from_user(b->text, ubuf, count)) {
		ret = -EFAULT;
	} else {
		b->spans[0] = (struct pcfifo_span) { .len = count };
		ret = pcfifo_dev_put(pf->fifo, b->text, b->spans, 1, nonblock);
		if (ret > 0)
			ret = count;
	}
	kvfree(b);
	return ret;
}

static ssize_t pcfifo_dev_read(struct file *file, char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct pcfifo_file *pf = file->private_data;
	bool lines = READ_ONCE(pf->framing) == PCFIFO_FRAMING_LINES;
	bool nonblock = file->f_flags & O_NONBLOCK;
	long timeout = MAX_SCHEDULE_TIMEOUT;
	struct pcfifo_sleeper s;
	struct pcfifo_dev_buf *b;
	size_t done = 0, room, len;
	unsigned int max;
	bool capped;
	int got;

	if (!count)
		return 0;
	if (lines && count < 2)
		return -EINVAL;
	b = kvmalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	pcfifo_sleeper_init(&s);
	for (;;) {
		room = min_t(size_t, count - done,
			     lines ? PCFIFO_DEV_CHUNK : PCFIFO_ITEM_MAX);
		capped = room < count - done;
		max = lines ? min_t(size_t, room / 2, PCFIFO_DEV_BATCH) : 1;
		/* After the first items, take only what is there. */
		got = pcfifo_get_text(pf->fifo, b->text, room, lines, max, &len,
				      (nonblock || done) ? NULL : &s.w);
		if (got > 0) {
			trace_pcfifo_take(pf->fifo, NULL, "dev", got);
			if (copy_to_user(ubuf + done, b->text, len)) {
				got = -EFAULT;
				break;
			}
			done += len;
			/* Fewer than asked, and not for want of room: empty */
			if (!lines || (got < max && !capped) ||
			    count - done < 2)
				break;
			continue;
		}
		if (got < 0 || done)
			break;
		if (nonblock) {
			got = -EAGAIN;
			break;
		}
		got = pcfifo_sleep(pf->fifo, &s, TASK_INTERRUPTIBLE, &timeout);
		if (got)
			break;
	}
	kvfree(b);
	if (done)
		return done;
	return got == -EMSGSIZE ? -EINVAL : got;
}

static __poll_t pcfifo_dev_poll(struct file *file, poll_table *pt)
{
	struct pcfifo_file *pf = file->private_data;

	poll_wait(file, &pf->fifo->poll, pt);
	return pcfifo_poll_state(pf->fifo);
}

static long pcfifo_dev_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	struct pcfifo_file *pf = file->private_data;
	int __user *uarg = (int __user *)arg;
	int framing;

	switch (cmd) {
	case PCFIFO_IOC_SET_FRAMING:
		if (get_user(framing, uarg))
			return -EFAULT;
		if (framing != PCFIFO_FRAMING_LINES &&
		    framing != PCFIFO_FRAMING_RECORDS)
			return -EINVAL;
		WRITE_ONCE(pf->framing, framing);
		return 0;
	case PCFIFO_IOC_GET_FRAMING:
		return put_user(READ_ONCE(pf->framing), uarg);
	default:
		return -ENOTTY;
	}
}

const struct file_operations pcfifo_dev_fops = {
	.owner = THIS_MODULE,
	.open = pcfifo_dev_open,
	.release = pcfifo_dev_release,
	.read = pcfifo_dev_read,
	.write = pcfifo_dev_write,
	.poll = pcfifo_dev_poll,
	.unlocked_ioctl = pcfifo_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};
