// SPDX-License-Identifier: GPL-2.0
/*
 * pcfuzz_api: pcfifo's kernel API (Documentation/kernel-api.rst) as a
 * device file, so that tests/fuzz/pcfuzz.c can call every function of it
 * from user space. Not for use outside the tests.
 *
 * Each open file of /dev/pcfuzz_api is one API user:
 *
 *   ioctl(fd, PCFUZZ_IOC_LOOKUP, name)   pcfifo_lookup(name): hold a FIFO
 *                                        (EBUSY: the file holds one)
 *   ioctl(fd, PCFUZZ_IOC_RELEASE)        pcfifo_release() (ENXIO: none)
 *   ioctl(fd, PCFUZZ_IOC_MODE, mode)     which function write and read call:
 *                                        PCFUZZ_WAIT      pcfifo_enqueue(),
 *                                                         pcfifo_dequeue()
 *                                        PCFUZZ_KILLABLE  ..._killable()
 *                                        PCFUZZ_TRY       pcfifo_try_...()
 *                                        PCFUZZ_TIMEOUT + ms
 *                                                         ..._timeout(), in
 *                                                         msecs_to_jiffies(ms)
 *   write(fd, buf, len)                  put buf as one item: len, or the
 *                                        function's error
 *   read(fd, buf, size)                  take one item: its length, or the
 *                                        function's error
 *
 * read and write without a FIFO held fail with ENXIO; close releases it.
 * The lengths go to pcfifo unchanged (0 and more than PCFIFO_ITEM_MAX
 * too), so that its own checks are what the caller sees. pcfuzz.c defines
 * the same PCFUZZ_* numbers.
 */

#include <linux/err.h>
#include <linux/fs.h>
#include <linux/ioctl.h>
#include <linux/jiffies.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "pcfifo.h"

#define PCFUZZ_IOC_LOOKUP	_IO('z', 1)
#define PCFUZZ_IOC_RELEASE	_IO('z', 2)
#define PCFUZZ_IOC_MODE		_IO('z', 3)

enum { PCFUZZ_WAIT, PCFUZZ_KILLABLE, PCFUZZ_TRY, PCFUZZ_TIMEOUT };

/* The ms of PCFUZZ_TIMEOUT + ms, at most. */
#define PCFUZZ_TIMEOUT_MAX_MS	60000

/* One open file: one user of the API. */
struct pcfuzz_user {
	/*
	 * A mutex, as the calls it covers may sleep: a read or write cannot
	 * use @fifo while another call on the same file releases it.
	 */
	struct mutex lock;
	struct pcfifo *fifo;	/* held, or NULL */
	unsigned long mode;	/* PCFUZZ_WAIT ... PCFUZZ_TIMEOUT + ms */
};

static int pcfuzz_open(struct inode *inode, struct file *file)
{
	struct pcfuzz_user *u = kzalloc(sizeof(*u), GFP_KERNEL);

	if (!u)
		return -ENOMEM;
	mutex_init(&u->lock);
	file->private_data = u;
	return nonseekable_open(inode, file);
}

static int pcfuzz_release(struct inode *inode, struct file *file)
{
	struct pcfuzz_user *u = file->private_data;

	if (u->fifo)
		pcfifo_release(u->fifo);
	mutex_destroy(&u->lock);
	kfree(u);
	return 0;
}

static long pcfuzz_lookup_locked(struct pcfuzz_user *u, const char __user *uname)
{
	struct pcfifo *fifo;
	char *name;

	lockdep_assert_held(&u->lock);
	if (u->fifo)
		return -EBUSY;
	name = strndup_user(uname, PATH_MAX);
	if (IS_ERR(name))
		return PTR_ERR(name);
	fifo = pcfifo_lookup(name);
	kfree(name);
	if (IS_ERR(fifo))
		return PTR_ERR(fifo);
	u->fifo = fifo;
	return 0;
}

static long pcfuzz_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct pcfuzz_user *u = file->private_data;
	long ret = 0;

	if (mutex_lock_interruptible(&u->lock))
		return -EINTR;
	switch (cmd) {
	case PCFUZZ_IOC_LOOKUP:
		ret = pcfuzz_lookup_locked(u, (const char __user *)arg);
		break;
	case PCFUZZ_IOC_RELEASE:
		if (u->fifo)
			pcfifo_release(u->fifo);
		else
			ret = -ENXIO;
		u->fifo = NULL;
		break;
	case PCFUZZ_IOC_MODE:
		if (arg > PCFUZZ_TIMEOUT + PCFUZZ_TIMEOUT_MAX_MS)
			ret = -EINVAL;
		else
			u->mode = arg;
		break;
	default:
		ret = -ENOTTY;
	}
	mutex_unlock(&u->lock);
	return ret;
}

static ssize_t pcfuzz_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	struct pcfuzz_user *u = file->private_data;
	char item[PCFIFO_ITEM_MAX];
	ssize_t ret;

	if (copy_from_user(item, ubuf, min(len, sizeof(item))))
		return -EFAULT;
	if (mutex_lock_interruptible(&u->lock))
		return -EINTR;
	if (!u->fifo)
		ret = -ENXIO;
	else if (u->mode == PCFUZZ_WAIT)
		ret = pcfifo_enqueue(u->fifo, item, len);
	else if (u->mode == PCFUZZ_KILLABLE)
		ret = pcfifo_enqueue_killable(u->fifo, item, len);
	else if (u->mode == PCFUZZ_TRY)
		ret = pcfifo_try_enqueue(u->fifo, item, len);
	else
		ret = pcfifo_enqueue_timeout(u->fifo, item, len,
					     msecs_to_jiffies(u->mode - PCFUZZ_TIMEOUT));
	mutex_unlock(&u->lock);
	return ret ? ret : len;
}

static ssize_t pcfuzz_read(struct file *file, char __user *ubuf, size_t size,
			   loff_t *ppos)
{
	struct pcfuzz_user *u = file->private_data;
	char item[PCFIFO_ITEM_MAX];
	ssize_t ret;

	if (mutex_lock_interruptible(&u->lock))
		return -EINTR;
	if (!u->fifo)
		ret = -ENXIO;
	else if (u->mode == PCFUZZ_WAIT)
		ret = pcfifo_dequeue(u->fifo, item, size);
	else if (u->mode == PCFUZZ_KILLABLE)
		ret = pcfifo_dequeue_killable(u->fifo, item, size);
	else if (u->mode == PCFUZZ_TRY)
		ret = pcfifo_try_dequeue(u->fifo, item, size);
	else
		ret = pcfifo_dequeue_timeout(u->fifo, item, size,
					     msecs_to_jiffies(u->mode - PCFUZZ_TIMEOUT));
	mutex_unlock(&u->lock);
	/* Taken: a bad buffer loses it, as with the device files. */
	if (ret > 0 && copy_to_user(ubuf, item, ret))
		return -EFAULT;
	return ret;
}

static const struct file_operations pcfuzz_fops = {
	.owner		= THIS_MODULE,
	.open		= pcfuzz_open,
	.release	= pcfuzz_release,
	.unlocked_ioctl	= pcfuzz_ioctl,
	.write		= pcfuzz_write,
	.read		= pcfuzz_read,
};

static struct miscdevice pcfuzz_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "pcfuzz_api",
	.fops	= &pcfuzz_fops,
	.mode	= 0600,
};

module_misc_device(pcfuzz_misc);

MODULE_DESCRIPTION("pcfifo's kernel API as a device file, for the fuzzer");
MODULE_AUTHOR("The pcfifo developers");
MODULE_LICENSE("GPL");
